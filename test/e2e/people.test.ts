// People in the editor, as they would do it: the owner opens the one-time link a new
// Tend printed and creates their account; a marketer and a viewer open the links in
// their invitation emails (from the SMTP server) and make theirs; a person signs out and
// in again with email and password; the viewer's change is refused with their role
// named; nothing of it lives in localStorage, and the session cookie is HttpOnly.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { setupToken } from '../../engine/access/people.js';
import { expectNoBrowserErrors, openBrowser, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend({ worker: false }), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

const PASSWORD = 'a long enough passphrase';

/** The link of the newest invitation email to `to`. */
async function invitationLink(to: string): Promise<string> {
  const mail = await tend.until(async () => tend.mailbox.messages.filter((m) => m.to && 'text' in m.to && m.to.text === to).at(-1), `the invitation to ${to}`);
  return /(http\S+\/invitation#[A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1]!;
}

test('the owner sets up, invites a marketer and a viewer who make their accounts, signs out and in; a viewer cannot change', async () => {
  const { page } = s;
  await tend.api('POST', '/api/flows', { format: 'tend.flow/v1', name: 'Welcome series', nodes: [{ id: 't', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } }], edges: [] });

  // 1. The link `npm start` prints on a new Tend.
  const token = (await setupToken(tend.services.db))!;
  await page.goto(`${tend.url}/setup#${token}`);
  await page.getByRole('heading', { name: 'Create the owner account' }).waitFor();
  await page.getByLabel('Your name').fill('Olive');
  await page.getByLabel('Email').fill('olive@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await s.screenshot('people-setup');
  await page.getByRole('button', { name: 'Create the owner account' }).click();
  await page.getByRole('heading', { name: 'Programs', exact: true }).waitFor();
  expect(await page.getByTestId('whoami').textContent()).toBe('Olive · owner');
  expect(page.url()).toBe(`${tend.url}/`);
  const cookies = await page.context().cookies();
  expect(cookies.map((c) => ({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite }))).toEqual([{ name: 'tend_session', httpOnly: true, sameSite: 'Lax' }]);
  expect(await page.evaluate(() => ({ local: localStorage.length, key: sessionStorage.getItem('tend.apiKey'), cookie: document.cookie }))).toEqual({ local: 0, key: null, cookie: '' });

  // 2. The owner's session invites (the same cookie and CSRF token the editor uses).
  const invited = await page.evaluate(async () => {
    const { csrfToken } = await (await fetch('/api/auth/session')).json();
    const send = (email: string, role: string) => fetch('/api/users/invitations', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body: JSON.stringify({ email, role }) }).then((r) => r.status);
    return [await send('mark@example.com', 'marketer'), await send('vera@example.com', 'viewer')];
  });
  expect(invited).toEqual([201, 201]);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Password').waitFor();

  // 3. The marketer opens the link in the email.
  await page.goto(await invitationLink('mark@example.com'));
  await page.getByRole('heading', { name: 'Create your account' }).waitFor();
  await page.getByLabel('Your name').fill('Mark');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create my account' }).click();
  await page.getByRole('heading', { name: 'Programs', exact: true }).waitFor();
  expect(await page.getByTestId('whoami').textContent()).toBe('Mark · marketer');
  await page.getByRole('button', { name: 'Duplicate' }).click();
  await tend.until(async () => (await tend.sql('SELECT count(*)::int AS n FROM programs'))[0].n === 2, 'the copy');
  await page.getByRole('button', { name: 'Sign out' }).click();

  // 4. The viewer: an account from the link, then signed out and in with email and password.
  await page.goto(await invitationLink('vera@example.com'));
  await page.getByLabel('Your name').fill('Vera');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create my account' }).click();
  await page.getByTestId('whoami').waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Email').fill('vera@example.com');
  await page.getByLabel('Password').fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'do not match an account' }).waitFor();
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Programs', exact: true }).waitFor();
  expect(await page.getByTestId('whoami').textContent()).toBe('Vera · viewer');
  // A reload keeps the session (the cookie), and a viewer's change is refused with the role named.
  await page.reload();
  await page.getByRole('heading', { name: 'Programs', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Duplicate' }).first().click();
  await page.getByTestId('toast').filter({ hasText: 'a viewer may not do this' }).waitFor();
  await s.screenshot('people-viewer-refused');
  expect((await tend.sql('SELECT count(*)::int AS n FROM programs'))[0].n).toBe(2);

  // Vera forgets her password: the link in the email sets a new one and signs her in.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('Forgot your password?').click();
  await page.getByLabel('Your address').fill('vera@example.com');
  await page.getByRole('button', { name: 'Email me a link' }).click();
  await page.getByRole('status').filter({ hasText: 'an email with a link is on its way' }).waitFor();
  const reset = await tend.until(async () => tend.mailbox.messages.find((m) => m.subject === 'Reset your Tend password'), 'the reset email');
  await page.goto(/(http\S+\/reset-password#[A-Za-z0-9_-]+)/.exec(reset.text ?? '')![1]!);
  await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  await page.getByLabel('Password').fill('a brand new passphrase');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  expect(await page.getByTestId('whoami').textContent()).toBe('Vera · viewer');

  // The audit log names who did what.
  const log = await tend.until(async () => {
    const entries = (await tend.api('GET', '/api/audit-log')).body.entries as { actor: { name: string }; action: string }[];
    return entries.some((e) => e.action === 'POST /api/flows/:id/duplicate') ? entries : undefined;
  }, 'the duplicate in the audit log');
  expect(log.find((e) => e.action === 'POST /api/flows/:id/duplicate')!.actor.name).toBe('mark@example.com');
  expect(log.filter((e) => e.action === 'POST /api/users/invitations').map((e) => e.actor.name)).toEqual(['olive@example.com', 'olive@example.com']);

  // Only the refusals the test provoked reached the console.
  expect(s.errors.filter((e) => !/status of (401|403)/.test(e))).toEqual([]);
  s.errors.length = 0;
  expectNoBrowserErrors(s);
});
