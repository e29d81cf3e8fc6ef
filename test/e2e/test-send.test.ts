// "Send a test" under an email node's preview: the rendering for the chosen contact
// reaches the address typed, marked [Test]; nothing is recorded as a message to the
// contact; a template that does not render is not sent, and says where it breaks.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { canvasNode, expectNoBrowserErrors, openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend({ worker: false }), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

test('send a test of an email node, rendered for a chosen contact', async () => {
  const grace = (await tend.api('PUT', '/api/contacts', { email: 'grace@example.com', attributes: { first_name: 'Grace' } })).body;
  const program = (await tend.api('POST', '/api/flows', {
    format: 'tend.flow/v1', name: 'Welcome',
    nodes: [
      { id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' }, position: { x: 80, y: 120 } },
      { id: 'welcome', type: 'tend.action.email', version: 1, config: { subject: 'Hello {{contact.attributes.first_name}}', html: '<p>Welcome, {{contact.attributes.first_name}}.</p>' }, position: { x: 400, y: 120 } },
    ],
    edges: [{ id: 'e1', source: 'signup', sourcePort: 'next', target: 'welcome' }],
  })).body;

  const { page } = s;
  await signIn(page, tend);
  await page.goto(`${tend.url}/programs/${program.id}?node=welcome`);
  const inspector = page.getByTestId('inspector-node');
  await page.getByTestId('preview-subject').filter({ hasText: 'Hello Ada' }).waitFor();
  await page.getByTestId('preview-contact').selectOption(grace.id);
  await page.getByTestId('preview-subject').filter({ hasText: 'Hello Grace' }).waitFor();
  await inspector.getByLabel('Send a test to').fill('me@example.com');
  await inspector.getByRole('button', { name: 'Send a test' }).click();
  await page.getByTestId('test-send-result').filter({ hasText: 'Sent “[Test] Hello Grace” to me@example.com' }).waitFor();
  const [mail] = await tend.mailbox.waitFor(1);
  expect(mail!.subject).toBe('[Test] Hello Grace');
  expect((mail!.to as { text: string }).text).toBe('me@example.com');
  expect(mail!.html).toContain('Welcome, Grace.');
  expect(await tend.sql('SELECT count(*)::int AS n FROM messages')).toEqual([{ n: 0 }]);

  // A template that does not render is not sent.
  await inspector.getByLabel('Subject').fill('Hello {{#if}}');
  await inspector.getByRole('button', { name: 'Send a test' }).click();
  await page.getByTestId('test-send-result').filter({ hasText: 'subject:' }).waitFor();
  expect(tend.mailbox.messages).toHaveLength(1);
  await s.screenshot('test-send');
  expect(s.errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
  s.errors.length = 0;
  expectNoBrowserErrors(s);
});
