// An event sent twice with one client id runs nothing twice; the unsubscribe link
// of a marketing email (page + RFC 8058 one-click) stops the next marketing email.
import { afterAll, beforeAll, expect, test } from 'vitest';
import pg from 'pg';
import { startTend, type Tend } from '../support/tend.js';
import { rawHeader } from '../support/smtp.js';

let tend: Tend;
let db: pg.Client;
beforeAll(async () => {
  tend = await startTend();
  db = new pg.Client({ connectionString: tend.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await tend?.stop();
});

const mailer = (event: string, subject: string) => ({
  format: 'tend.flow/v1',
  name: subject,
  settings: { reentry: 'afterExit' },
  nodes: [
    { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: event } },
    { id: 'mail', type: 'tend.action.email', version: 1, config: { subject, html: '<p>Hello</p>' } },
  ],
  edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'mail' }],
});
const completed = async (id: string) => (await tend.api('GET', `/api/flows/${id}/stats`)).body.enrollments.completed as number;

test('the same event posted twice with one client id runs once', async () => {
  const id = await tend.publish(mailer('order_paid', 'Thanks for your order'));
  const first = await tend.api('POST', '/api/events', { type: 'order_paid', email: 'twice@example.com', clientId: 'order-1001' });
  const second = await tend.api('POST', '/api/events', { type: 'order_paid', email: 'twice@example.com', clientId: 'order-1001' });
  expect([first.status, second.status]).toEqual([202, 200]);
  expect(second.body).toEqual({ ...first.body, duplicate: true });
  await tend.until(async () => (await completed(id)) === 1, 'the run');
  await tend.api('POST', '/api/events/batch', { events: [{ type: 'order_paid', email: 'twice@example.com', clientId: 'order-1001' }] });
  await new Promise((r) => setTimeout(r, 1500));
  expect(await completed(id)).toBe(1);
  expect(tend.mailbox.messages.filter((m) => m.subject === 'Thanks for your order')).toHaveLength(1);
  expect(Number((await db.query("SELECT count(*) FROM events WHERE client_id = 'order-1001'")).rows[0].count)).toBe(1);
});

test('unsubscribing by the link page or by one-click stops the next marketing email, and the skip is recorded', async () => {
  const id = await tend.publish(mailer('news_ready', 'Our news'));
  for (const email of ['page@example.com', 'oneclick@example.com']) await tend.event({ type: 'news_ready', email });
  await tend.until(async () => (await completed(id)) === 2, 'two runs');
  const links = new Map(tend.mailbox.messages.filter((m) => m.subject === 'Our news').map((m) => [(m.to as { text: string }).text, rawHeader(m, 'List-Unsubscribe')!.slice(1, -1)]));
  expect(rawHeader(tend.mailbox.messages.at(-1)!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

  const pageUrl = links.get('page@example.com')!;
  const page = await fetch(pageUrl);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<form method="post">');
  // Opening the page (as a link scanner would) unsubscribes nobody; the button does.
  expect((await db.query("SELECT unsubscribed_at FROM contacts WHERE email = 'page@example.com'")).rows[0].unsubscribed_at).toBeNull();
  expect((await fetch(pageUrl, { method: 'POST' })).status).toBe(200);
  const oneClick = await fetch(links.get('oneclick@example.com')!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
  expect(oneClick.status).toBe(200);

  // Another character in the middle of the token (the last one may carry only padding bits).
  const genuine = links.get('page@example.com')!;
  const at = genuine.length - 12;
  const forged = genuine.slice(0, at) + (genuine[at] === 'a' ? 'b' : 'a') + genuine.slice(at + 1);
  expect((await fetch(forged, { method: 'POST' })).status).toBe(404);

  tend.mailbox.messages.length = 0;
  for (const email of ['page@example.com', 'oneclick@example.com']) await tend.event({ type: 'news_ready', email });
  await tend.until(async () => (await completed(id)) === 4, 'two more runs');
  await new Promise((r) => setTimeout(r, 500));
  expect(tend.mailbox.messages).toHaveLength(0);
  const skips = (await db.query("SELECT m.reason FROM messages m WHERE m.status = 'skipped' AND m.program_id = $1", [id])).rows;
  expect(skips).toEqual([{ reason: 'unsubscribed' }, { reason: 'unsubscribed' }]);
  const timeline = (await db.query("SELECT e.properties->>'method' AS method FROM events e JOIN contacts c ON c.id = e.contact_id WHERE e.type = 'tend.unsubscribed' ORDER BY c.email")).rows;
  expect(timeline).toEqual([{ method: 'one-click' }, { method: 'link' }]);
});
