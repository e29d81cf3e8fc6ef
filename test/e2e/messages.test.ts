// The Messages screen: every email a program sent or tried, newest first; a refused
// address shows as failed with the server's reason; search by recipient, filter by
// status; each row leads to the contact and to the program's node.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { expectNoBrowserErrors, openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend(), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

const refusal = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

test('find sent and failed messages, and where they came from', async () => {
  const programId = await tend.publish({
    format: 'tend.flow/v1', name: 'Welcome',
    nodes: [
      { id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } },
      { id: 'welcome', type: 'tend.action.email', version: 1, config: { subject: 'Welcome, {{contact.email}}', html: '<p>Hi</p>' } },
    ],
    edges: [{ id: 'e1', source: 'signup', sourcePort: 'next', target: 'welcome' }],
  });
  tend.mailbox.beforeAccept = async (raw) => { if (raw.toString('utf8').includes('bounce@example.com')) throw refusal(550, 'No such user'); };
  for (const email of ['ann@example.com', 'ben@example.com', 'bounce@example.com']) await tend.event({ type: 'signed_up', email });
  await tend.until(async () => (await tend.api('GET', `/api/flows/${programId}/stats`)).body.enrollments.completed === 3, 'three runs', 60_000);

  const { page } = s;
  await signIn(page, tend);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Messages' }).click();
  await expect.poll(() => page.getByTestId('message-row').count()).toBe(3);
  await page.getByLabel('Status').selectOption('failed');
  await expect.poll(() => page.getByTestId('message-row').count()).toBe(1);
  const failed = page.getByTestId('message-row').first();
  expect(await failed.textContent()).toContain('bounce@example.com');
  await failed.getByTestId('message-reason').filter({ hasText: 'No such user' }).waitFor();
  await s.screenshot('messages');
  await page.getByLabel('Status').selectOption('');
  await page.getByLabel('Search messages').fill('ben@');
  const ben = page.getByTestId('message-row').filter({ hasText: 'Welcome, ben@example.com' });
  await ben.waitFor();
  await expect.poll(() => page.getByTestId('message-row').count()).toBe(1);
  await ben.getByRole('link', { name: 'Welcome' }).click();
  await expect.poll(() => page.getByTestId('inspector-node').getAttribute('data-node')).toBe('welcome');
  expectNoBrowserErrors(s);
});
