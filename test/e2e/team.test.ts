// A marketing team shares one Tend, as issue #19's "done when" reads: the owner signs
// up on a fresh Tend and invites a marketer and a viewer from the Team screen (the
// invitations arrive at the SMTP server); the marketer builds and publishes a program,
// then changes it and publishes again; the viewer sees it and its counts but cannot
// edit, publish or export a contact — the page does not offer it and the API refuses
// it; the owner's audit log shows the marketer's publish with its changes in words.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { startTend, type Tend } from '../support/tend.js';
import { setupToken } from '../../engine/access/people.js';
import { canvasNode, connectHandles, dragFromPalette, expectNoBrowserErrors, openBrowser, saved, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend(), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

const PASSWORD = 'a long enough passphrase';

async function acceptInvitation(page: Page, to: string, name: string): Promise<void> {
  const mail = await tend.until(async () => tend.mailbox.messages.find((m) => m.subject === 'You are invited to Tend' && m.to && 'text' in m.to && m.to.text === to), `the invitation to ${to}`);
  await page.goto(/(http\S+\/invitation#[A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1]!);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create my account' }).click();
  await page.getByRole('heading', { name: 'Programs', exact: true }).waitFor();
}

/** What the API answers this browser's session (cookie and CSRF token, as the editor sends them). */
function asThisBrowser(page: Page, method: string, path: string, body?: unknown): Promise<number> {
  return page.evaluate(async ({ method, path, body }) => {
    const { csrfToken } = await (await fetch('/api/auth/session')).json();
    const res = await fetch(path, { method, headers: { 'x-csrf-token': csrfToken, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return res.status;
  }, { method, path, body });
}

test('the owner invites a marketer and a viewer; the marketer publishes; the viewer only looks; the audit log shows the publish', async () => {
  const { page } = s;

  // 1. The owner: the one-time link, then the Team screen's invitation form.
  await page.goto(`${tend.url}/setup#${(await setupToken(tend.services.db))!}`);
  await page.getByLabel('Your name').fill('Olive');
  await page.getByLabel('Email').fill('olive@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create the owner account' }).click();
  await page.getByRole('heading', { name: 'Programs', exact: true }).waitFor();
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Team' }).click();
  await page.getByRole('heading', { name: 'Team', exact: true }).waitFor();
  expect(page.url()).toBe(`${tend.url}/team`);
  const invite = page.getByRole('form', { name: 'Invite someone' });
  for (const [email, role] of [['mark@example.com', 'marketer'], ['vera@example.com', 'viewer']]) {
    await invite.getByLabel('Invite by email').fill(email!);
    await invite.getByLabel('Role').selectOption(role!);
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByTestId('invitation-row').filter({ hasText: email! }).filter({ hasText: role! }).waitFor();
  }
  // A second invitation to the same address while one is open is fine; one to a member is refused in words.
  await invite.getByLabel('Invite by email').fill('olive@example.com');
  await invite.getByRole('button', { name: 'Send invitation' }).click();
  await invite.getByRole('alert').filter({ hasText: 'olive@example.com has an account already' }).waitFor();
  await s.screenshot('team');
  expect(tend.mailbox.messages.filter((m) => m.subject === 'You are invited to Tend').map((m) => (m.to && 'text' in m.to ? m.to.text : '')).sort()).toEqual(['mark@example.com', 'vera@example.com']);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Password').waitFor();

  // 2. The marketer: builds "event → email → wait for a purchase", publishes, changes the subject, publishes again.
  await acceptInvitation(page, 'mark@example.com', 'Mark');
  expect(await page.getByRole('navigation', { name: 'Screens' }).getByRole('link').allTextContents()).toEqual(['Dashboard', 'Programs', 'Contacts', 'Segments', 'Scoring', 'Forms', 'Website', 'Landing pages', 'Messages']);
  await page.getByRole('button', { name: 'New program' }).first().click();
  await page.getByLabel('Name').fill('Welcome');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByTestId('canvas').waitFor();
  const inspector = page.getByTestId('inspector-node');
  await dragFromPalette(page, 'tend.trigger.event', { x: 150, y: 140 });
  await canvasNode(page, 'event').click();
  await inspector.getByLabel('Event type').fill('signed_up');
  await dragFromPalette(page, 'tend.action.email', { x: 150, y: 400 });
  await canvasNode(page, 'email').click();
  await inspector.getByLabel('Subject').fill('Welcome aboard');
  await inspector.getByLabel('HTML body').fill('<p>Hello {{contact.email}}</p>');
  await dragFromPalette(page, 'tend.wait.event', { x: 480, y: 400 });
  await canvasNode(page, 'event_2').click();
  await inspector.getByLabel('Event type').fill('purchased');
  await connectHandles(page, { node: 'event', port: 'next' }, 'email');
  await connectHandles(page, { node: 'email', port: 'next' }, 'event_2');
  await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);
  await saved(page);
  await page.getByText('No problems').waitFor();
  await page.getByTestId('publish').click();
  await page.getByTestId('confirm-publish').click();
  await page.getByTestId('watch-banner').filter({ hasText: 'Watching version 1' }).waitFor();
  await page.getByTestId('edit-draft').click();
  await canvasNode(page, 'email').click();
  await inspector.getByLabel('Subject').fill('Welcome to the team');
  await saved(page);
  await page.getByTestId('publish').click();
  await page.getByTestId('publish-changes').filter({ hasText: 'Subject' }).waitFor();
  await page.getByTestId('confirm-publish').click();
  await page.getByTestId('watch-banner').filter({ hasText: 'Watching version 2' }).waitFor();
  const programId = /\/programs\/([0-9a-f-]{36})/.exec(page.url())![1]!;
  await tend.event({ type: 'signed_up', email: 'ann@example.com' });
  await tend.until(async () => tend.mailbox.messages.find((m) => m.subject === 'Welcome to the team'), 'the welcome of version 2', 30_000);
  await page.getByRole('link', { name: 'Programs' }).first().click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Password').waitFor();

  // 3. The viewer: sees the program and its counts; nothing to change is offered, and the API says no.
  await acceptInvitation(page, 'vera@example.com', 'Vera');
  expect(await page.getByRole('navigation', { name: 'Screens' }).getByRole('link').allTextContents()).toEqual(['Dashboard', 'Programs', 'Contacts', 'Segments', 'Scoring', 'Forms', 'Website', 'Landing pages', 'Messages']);
  await page.getByTestId('program-row').filter({ hasText: 'Welcome' }).getByText('live').waitFor();
  await page.getByRole('link', { name: 'Welcome', exact: true }).click();
  await page.getByTestId('read-only-banner').filter({ hasText: 'signed in as a viewer' }).waitFor();
  await canvasNode(page, 'email').getByTestId('node-counts').filter({ hasText: '1 sent' }).waitFor({ timeout: 20_000 });
  expect(await page.getByTestId('publish').count()).toBe(0); // shown only on the draft, which a viewer opens read only
  await page.getByTestId('edit-draft').click();
  await page.getByTestId('palette-disabled').filter({ hasText: 'A viewer looks at programs; building them is for marketers and admins.' }).waitFor();
  expect(await page.getByTestId('publish').isDisabled()).toBe(true);
  expect(await page.getByTestId('publish').getAttribute('title')).toBe('A viewer may not publish');
  await canvasNode(page, 'email').click();
  expect(await inspector.getByLabel('Subject').isEditable()).toBe(false);
  // The contact waiting for a purchase, and their timeline: the export is not offered.
  await canvasNode(page, 'event_2').click();
  await page.getByTestId('contact-here').filter({ hasText: 'ann@example.com' }).click();
  expect(await page.getByTestId('export-contact').isDisabled()).toBe(true);
  await page.getByTestId('export-refused').filter({ hasText: 'A viewer may not export' }).waitFor();
  await s.screenshot('team-viewer');
  const contactId = (await tend.api('GET', '/api/contacts?email=ann@example.com')).body.contacts[0].id;
  const draft = (await tend.api('GET', `/api/flows/${programId}`)).body.draft;
  expect({
    save: await asThisBrowser(page, 'PUT', `/api/flows/${programId}`, draft),
    publish: await asThisBrowser(page, 'POST', `/api/flows/${programId}/publish`),
    exportContact: await asThisBrowser(page, 'GET', `/api/contacts/${contactId}/export`),
    team: await asThisBrowser(page, 'GET', '/api/users'),
  }).toEqual({ save: 403, publish: 403, exportContact: 403, team: 403 });
  expect((await tend.api('GET', `/api/flows/${programId}`)).body.liveVersion).toBe(2);
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('link', { name: 'Programs' }).first().click();
  await page.getByRole('button', { name: 'Sign out' }).click();

  // 4. The owner's audit log: the marketer's publishes, the second with what changed.
  await page.getByLabel('Email').fill('olive@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Audit log' }).click();
  await page.getByLabel('What').selectOption({ label: 'Publishes' });
  const publishes = page.getByTestId('audit-row').filter({ hasText: 'published a program' });
  await expect.poll(() => publishes.count()).toBe(2);
  expect(await publishes.first().textContent()).toContain('mark@example.com');
  await publishes.first().getByRole('button', { name: 'published a program' }).click();
  await page.getByRole('list', { name: 'Changes' }).getByText('Subject', { exact: false }).waitFor();
  await s.screenshot('audit-log');
  await page.getByLabel('Who').fill('olive');
  await expect.poll(() => page.getByTestId('audit-row').count()).toBe(0);
  await page.getByLabel('What').selectOption({ label: 'People and invitations' });
  await expect.poll(() => page.getByTestId('audit-row').filter({ hasText: 'invited a person' }).count()).toBe(2);

  // Only the refusals the test provoked reached the console.
  expect(s.errors.filter((e) => !/status of (401|403|409)/.test(e))).toEqual([]);
  s.errors.length = 0;
  expectNoBrowserErrors(s);
});
