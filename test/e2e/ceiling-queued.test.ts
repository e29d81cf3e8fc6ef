// A marketer opens a live program while the messaging policy's sending ceiling holds its
// emails back: the email node says how many are queued, apart from the contacts waiting.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { canvasNode, expectNoBrowserErrors, openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend(), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

test('the email node counts the sends the sending ceiling holds as queued', async () => {
  expect((await tend.api('PUT', '/api/messaging-policy', { ceilings: [{ channel: 'email', max: 1, per: '1 hour' }] })).status).toBe(200);
  const program = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Spring sale',
    nodes: [
      { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'sale_started' }, position: { x: 0, y: 100 } },
      { id: 'mail', type: 'tend.action.email', version: 1, label: 'Sale email', config: { subject: 'Sale', html: '<p>Sale</p>' }, position: { x: 320, y: 100 } },
    ],
    edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'mail' }],
  });
  await tend.api('POST', '/api/events/batch', { events: Array.from({ length: 4 }, (_, i) => ({ type: 'sale_started', email: `buyer${i}@example.com` })) });
  // One place an hour: one goes now, three are held.
  await tend.until(async () => (await tend.sql("SELECT count(*)::int AS n FROM messages WHERE status = 'deferred' AND reason LIKE 'sending ceiling%'"))[0].n === 3, 'three held');
  await tend.until(async () => tend.mailbox.messages.length === 1, 'one sent');

  const { page } = s;
  await signIn(page, tend);
  await page.goto(`${tend.url}/programs/${program}`);
  const node = canvasNode(page, 'mail');
  await expect.poll(() => node.getByTestId('node-queued').textContent(), { timeout: 15_000 }).toBe('3 queued');
  expect(await node.getByTestId('node-flow-counts').textContent()).toContain('0 waiting');
  await s.screenshot('ceiling-queued');
  expectNoBrowserErrors(s);
});
