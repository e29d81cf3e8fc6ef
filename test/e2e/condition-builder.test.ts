// A marketer builds "VIP and cart total at least 100" in the if/else form by picking —
// the field from what this Tend's data holds, the operator in words, a typed value —
// publishes, and only the VIP with a big cart gets the email. Before the builder the
// form left "Comparison" on "Choose…" with eight "must match a schema in anyOf"
// problems, and no condition could be made without pasting JSON.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { canvasNode, connectHandles, dragFromPalette, expectNoBrowserErrors, openBrowser, saved, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend(), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

test('build an if/else condition by picking, publish, and only the VIP with a cart of 100 or more gets the offer', async () => {
  // Data the catalogue will offer: a tier attribute and cart totals.
  for (const [email, tier] of [['vip-big@example.com', 'vip'], ['vip-small@example.com', 'vip'], ['regular@example.com', 'regular']]) {
    expect((await tend.api('PUT', '/api/contacts', { email, attributes: { tier } })).status).toBeLessThan(300);
  }
  await tend.event({ type: 'cart_updated', email: 'regular@example.com', properties: { total: 20 } });
  const catalogue = (await tend.api('GET', '/api/catalogue')).body;
  // Besides the stage attribute, offered with the defined stages before any contact has one.
  expect(catalogue.attributes.filter((a: { path: string }) => a.path !== 'contact.attributes.stage')).toEqual([expect.objectContaining({ path: 'contact.attributes.tier', type: 'string', examples: expect.arrayContaining(['vip', 'regular']), count: 3 })]);
  expect(catalogue.events.find((e: { type: string }) => e.type === 'cart_updated').properties).toEqual([expect.objectContaining({ path: 'event.properties.total', type: 'number' })]);

  const { page } = s;
  await signIn(page, tend);
  // The dialog starts in its name field, and Enter creates.
  await page.getByRole('button', { name: 'New program' }).first().click();
  await page.keyboard.type('VIP cart offer');
  await page.keyboard.press('Enter');
  await page.getByTestId('canvas').waitFor();

  await dragFromPalette(page, 'tend.trigger.event', { x: 150, y: 120 });
  await canvasNode(page, 'event').click();
  const inspector = page.getByTestId('inspector-node');
  // The event type is offered from what has been seen (free text still allowed).
  await expect.poll(() => inspector.getByTestId('suggestions-eventType').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toContain('cart_updated');
  await inspector.getByLabel('Event type').fill('cart_updated');

  // Away from the canvas's left border: a connection dragged near a border pans the canvas.
  await dragFromPalette(page, 'tend.logic.if', { x: 330, y: 330 });
  await canvasNode(page, 'if').click();
  const builder = inspector.getByTestId('condition-builder');
  await builder.waitFor();
  // A new condition asks for its first row in words, not in schema jargon (once a field
  // of the new node has been left: a node just dropped is unfinished, not wrong).
  await saved(page);
  expect(await inspector.textContent()).not.toContain('This “all of” group is empty');
  await inspector.locator('#node-label').focus();
  await page.keyboard.press('Tab');
  await inspector.getByText('This “all of” group is empty').waitFor();
  expect(await inspector.textContent()).not.toMatch(/anyOf|must have required property/);

  // Row 1: Tier · is · vip (picked from the values seen).
  await builder.getByRole('button', { name: '+ Condition' }).first().click();
  const row1 = builder.locator('.rule').nth(0);
  await row1.getByTitle('Field').selectOption({ label: 'Tier' });
  await row1.getByTitle('How to compare').selectOption({ label: 'is' });
  await row1.getByLabel('Value').fill('vip');
  expect(await row1.locator('datalist option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(expect.arrayContaining(['vip', 'regular']));

  // Row 2: Total (cart_updated) · is at least · 100; until the value is typed, a sentence says what is missing.
  await builder.getByRole('button', { name: '+ Condition' }).first().click();
  const row2 = builder.locator('.rule').nth(1);
  await row2.getByTitle('Field').selectOption({ label: 'Total (cart_updated)' });
  await row2.getByTitle('How to compare').selectOption({ label: 'is at least' });
  await saved(page);
  await builder.getByTestId('condition-problem').filter({ hasText: 'Row 2: Enter a value after “is at least”.' }).waitFor();
  await row2.getByLabel('Value').fill('100');

  await dragFromPalette(page, 'tend.action.email', { x: 640, y: 330 });
  await canvasNode(page, 'email').click();
  // Variables by picking: the subject gets the tier from the insert menu…
  await inspector.getByLabel('Subject').fill('A thank-you for our ');
  await inspector.getByLabel('Insert variable').first().selectOption({ label: 'Tier' });
  await expect.poll(() => inspector.getByLabel('Subject').inputValue()).toBe('A thank-you for our {{contact.attributes.tier}}');
  // …and a path no event ever carried is flagged, with the one that exists to switch to.
  await inspector.getByLabel('HTML body').fill('<p>Your cart of {{event.properties.Total}} ships free.</p>');
  const warning = inspector.getByTestId('template-warning');
  await warning.filter({ hasText: 'event.properties.Total' }).waitFor();
  await s.screenshot('template-variables');
  await warning.getByRole('button', { name: 'event.properties.total' }).click();
  expect(await inspector.getByLabel('HTML body').inputValue()).toBe('<p>Your cart of {{event.properties.total}} ships free.</p>');
  await inspector.getByTestId('template-warning').waitFor({ state: 'detached' });
  await connectHandles(page, { node: 'event', port: 'next' }, 'if');
  await connectHandles(page, { node: 'if', port: 'yes' }, 'email');
  await saved(page);
  await page.getByText('No problems').waitFor();
  await canvasNode(page, 'if').click();
  // Opened again, the rows show what was built.
  expect(await builder.locator('.rule').nth(1).getByLabel('Value').inputValue()).toBe('100');
  expect(await builder.locator('.rule').nth(0).getByLabel('Value').inputValue()).toBe('vip');
  await s.screenshot('condition-builder');

  const programId = /\/programs\/([0-9a-f-]{36})/.exec(page.url())![1];
  const draft = (await tend.api('GET', `/api/flows/${programId}`)).body.draft;
  expect(draft.nodes.find((n: { id: string }) => n.id === 'if').config).toEqual({
    condition: { all: [{ field: 'contact.attributes.tier', op: 'eq', value: 'vip' }, { field: 'event.properties.total', op: 'gte', value: 100 }] },
  });

  await page.getByTestId('publish').click();
  await page.getByTestId('confirm-publish').click();
  await page.getByTestId('watch-banner').waitFor();
  await tend.event({ type: 'cart_updated', email: 'vip-big@example.com', properties: { total: 150 } });
  await tend.event({ type: 'cart_updated', email: 'vip-small@example.com', properties: { total: 50 } });
  await tend.event({ type: 'cart_updated', email: 'regular@example.com', properties: { total: 200 } });
  const [mail] = await tend.mailbox.waitFor(1, 30_000);
  expect(JSON.stringify(mail.to)).toContain('vip-big@example.com');
  expect(mail.html).toContain('Your cart of 150 ships free.');
  expect(mail.subject).toBe('A thank-you for our vip');
  // The other two took "no": their runs completed with no message.
  await tend.until(async () => (await tend.sql("SELECT count(*)::int AS n FROM enrollments WHERE status = 'completed'"))[0].n === 3, 'three finished runs');
  expect(tend.mailbox.messages).toHaveLength(1);
  expectNoBrowserErrors(s);
});
