// A marketer builds the abandoned-cart program from an empty canvas — dragging nodes
// from the palette, connecting handles, filling the generated forms — publishes it,
// and watches contacts flow through while the reminder lands in the SMTP mailbox.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { canvasNode, connectHandles, dragFromPalette, expectNoBrowserErrors, openBrowser, saved, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend(), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

test('build the abandoned-cart program by drag and drop, publish it, watch counts and receive the email', async () => {
  const { page } = s;
  await signIn(page, tend);
  await page.getByRole('button', { name: 'New program' }).first().click();
  await page.getByLabel('Name').fill('Abandoned cart');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByTestId('canvas').waitFor();

  // Trigger: checkout_started, one run per cart.
  await dragFromPalette(page, 'tend.trigger.event', { x: 150, y: 140 });
  await canvasNode(page, 'event').click();
  const inspector = page.getByTestId('inspector-node');
  await inspector.getByLabel('Event type').fill('checkout_started');
  await inspector.getByLabel('Correlation key').fill('properties.cart_id');

  // Wait for the order, up to 6 seconds.
  await dragFromPalette(page, 'tend.wait.event', { x: 440, y: 140 });
  await canvasNode(page, 'event_2').click();
  await inspector.getByLabel('Event type').fill('order_completed');
  await inspector.getByLabel('Amount').fill('6');
  await inspector.getByLabel('Unit').selectOption('seconds');

  // The reminder email.
  await dragFromPalette(page, 'tend.action.email', { x: 440, y: 400 });
  await canvasNode(page, 'email').click();
  await inspector.getByLabel('Subject').fill('You left {{event.properties.items.length}} item(s) in your cart');
  await inspector.getByLabel('HTML body').fill('<ul>{{#each event.properties.items}}<li>{{name}} × {{qty}}</li>{{/each}}</ul>');
  // The server renders the live preview, here for the built-in sample contact.
  await page.getByTestId('preview-subject').filter({ hasText: 'item(s) in your cart' }).waitFor();

  await connectHandles(page, { node: 'event', port: 'next' }, 'event_2');
  await connectHandles(page, { node: 'event_2', port: 'timeout' }, 'email');
  await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);
  await saved(page);
  await page.getByText('No problems').waitFor();

  // The draft on the server is the program that was drawn.
  const programId = /\/programs\/([0-9a-f-]{36})/.exec(page.url())![1];
  const draft = (await tend.api('GET', `/api/flows/${programId}`)).body.draft;
  expect(draft.nodes.map((n: { id: string; type: string }) => [n.id, n.type])).toEqual([['event', 'tend.trigger.event'], ['event_2', 'tend.wait.event'], ['email', 'tend.action.email']]);
  expect(draft.nodes[0].config).toEqual({ eventType: 'checkout_started', correlationKey: 'properties.cart_id' });
  expect(draft.nodes[1].config).toMatchObject({ eventType: 'order_completed', timeout: '6 seconds' });
  expect(draft.edges.map((e: { source: string; sourcePort: string; target: string }) => `${e.source}:${e.sourcePort}→${e.target}`)).toEqual(['event:next→event_2', 'event_2:timeout→email']);
  expect(draft.nodes.every((n: { position?: unknown }) => n.position)).toBe(true);

  await page.getByTestId('publish').click();
  // Publishing asks first: the first version, and who the trigger let in lately (nobody yet).
  await page.getByTestId('publish-summary').filter({ hasText: 'This is the first version' }).waitFor();
  await page.getByTestId('publish-reach').filter({ hasText: 'In the last 7 days, 0 contacts had a checkout_started event' }).waitFor();
  await page.getByTestId('confirm-publish').click();
  await page.getByTestId('watch-banner').waitFor();
  expect((await tend.api('GET', `/api/flows/${programId}`)).body).toMatchObject({ status: 'live', liveVersion: 1 });

  const email = 'grace@example.com';
  await tend.event({ type: 'checkout_started', email, properties: { cart_id: 'A', items: [{ name: 'Boots', qty: 1 }] } });
  await tend.event({ type: 'checkout_started', email, properties: { cart_id: 'B', items: [{ name: 'Scarf', qty: 2 }] } });
  await tend.event({ type: 'order_completed', email, properties: { cart_id: 'A' } });

  // Both carts are seen entering the wait on the canvas; the contact waiting there is
  // listed at the node, and their timeline shows how they got there.
  await canvasNode(page, 'event_2').getByTestId('node-counts').filter({ hasText: '2 in' }).waitFor({ timeout: 20_000 });
  await canvasNode(page, 'event_2').click();
  await page.getByTestId('contact-here').filter({ hasText: email }).click();
  const timeline = page.getByTestId('timeline');
  await timeline.getByText('checkout_started').first().waitFor();
  await timeline.getByText('Wait for event').first().waitFor();
  await s.screenshot('build-and-publish-timeline');
  await page.getByRole('button', { name: 'Close' }).click();

  const [mail] = await tend.mailbox.waitFor(1, 30_000);
  expect(mail.subject).toBe('You left 1 item(s) in your cart');
  expect(mail.html).toContain('Scarf × 2');
  await canvasNode(page, 'email').getByTestId('node-counts').filter({ hasText: '1 sent' }).waitFor({ timeout: 20_000 });
  await canvasNode(page, 'event').getByTestId('node-counts').filter({ hasText: '2 in' }).waitFor();
  await s.screenshot('build-and-publish');
  expect(tend.mailbox.messages).toHaveLength(1);

  // The version list counts the contacts on version 1.
  await page.getByTestId('versions-button').click();
  await page.getByTestId('version-row').filter({ hasText: 'v1 · live' }).filter({ hasText: '2 entered' }).waitFor();
  await page.getByTestId('versions-button').click();

  // Back on the draft, the preview renders for a real contact with their latest checkout.
  await page.getByTestId('edit-draft').click();
  await canvasNode(page, 'email').click();
  const contact = (await tend.api('GET', `/api/contacts?email=${email}`)).body.contacts[0];
  await page.getByTestId('preview-contact').selectOption(contact.id);
  await page.getByTestId('preview-subject').filter({ hasText: 'You left 1 item(s) in your cart' }).waitFor();
  await s.screenshot('build-and-publish-preview');

  // Publishing the unchanged draft: "no changes", nothing to confirm.
  await page.getByTestId('publish').click();
  await page.getByTestId('publish-no-changes').waitFor();
  expect(await page.getByTestId('confirm-publish').isDisabled()).toBe(true);
  await page.getByRole('button', { name: 'Close', exact: true }).last().click();
  // A changed subject: the summary says what changed, and what happens to the contact inside v1.
  await page.getByTestId('inspector-node').getByLabel('Subject').fill('Your cart misses you');
  await saved(page);
  await page.getByTestId('publish').click();
  await page.getByTestId('publish-changes').filter({ hasText: 'Changed Send email (email): Subject' }).waitFor();
  await page.getByTestId('publish-inside').filter({ hasText: '0 contacts are inside v1 now: they finish on v1; new contacts enter v2.' }).waitFor();
  await page.getByTestId('publish-reach').filter({ hasText: '1 contact had a checkout_started event' }).waitFor();
  await s.screenshot('publish-summary');
  await page.getByTestId('confirm-publish').click();
  await page.getByTestId('watch-banner').filter({ hasText: 'Watching version 2' }).waitFor();
  // Version 1 restored to the draft: the old subject is back in the draft.
  await page.getByTestId('versions-button').click();
  await page.getByTestId('version-row').filter({ hasText: 'v1' }).click();
  await page.getByTestId('watch-banner').filter({ hasText: 'Watching version 1' }).waitFor();
  await page.getByTestId('restore-version').click();
  await saved(page);
  expect((await tend.api('GET', `/api/flows/${programId}`)).body.draft.nodes[2].config.subject).toBe('You left {{event.properties.items.length}} item(s) in your cart');

  // The programs list shows it live.
  await page.getByRole('link', { name: 'Programs' }).click();
  const row = page.getByTestId('program-row').filter({ hasText: 'Abandoned cart' });
  await row.getByText('live').waitFor();
  expect(await row.locator('td').nth(2).textContent()).toBe('v2');
  await s.screenshot('build-and-publish-programs');
  expectNoBrowserErrors(s);
});
