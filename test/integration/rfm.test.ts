// RFM from real purchase events: scores and facts appear and move as purchases arrive
// (in the dispatch step, so the program the purchase starts already reads them), and
// fall by time alone through the due queue, which holds purchasers only.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
beforeAll(async () => {
  tend = await startTend();
});
afterAll(async () => {
  await tend?.stop();
});

const contact = async (email: string) => (await tend.api('GET', `/api/contacts?email=${encodeURIComponent(email)}`)).body.contacts[0];
const rfm = async (email: string) => {
  const a = (await contact(email))?.attributes ?? {};
  return Object.fromEntries(Object.entries(a).filter(([k]) => k.startsWith('rfm_')));
};
const rfmChanges = async (email: string) =>
  (await tend.sql(
    "SELECT e.properties FROM events e JOIN contacts c ON c.id = e.contact_id WHERE c.email = $1 AND e.type = 'tend.contact_changed' AND e.properties->>'by' = 'rfm' ORDER BY e.received_at, e.id",
    [email],
  )).map((r) => r.properties);

async function settings(body: Record<string, unknown>) {
  const res = await tend.api('PUT', '/api/rfm-settings', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

test('settings are validated with paths and default to off, order_completed / value / 365 days', async () => {
  expect((await tend.api('GET', '/api/rfm-settings')).body).toMatchObject({ enabled: false, eventType: 'order_completed', valueProperty: 'value', window: '365 days' });
  const bad = await tend.api('PUT', '/api/rfm-settings', { recency: ['90 days', '30 days', '180 days', '1 year'], frequency: [1, 2, 3], eventType: 'tend.score_changed' });
  expect(bad.status).toBe(422);
  expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/eventType', '/frequency']);
  const unordered = await tend.api('PUT', '/api/rfm-settings', { recency: ['90 days', '30 days', '180 days', '1 year'] });
  expect(unordered.status).toBe(422);
  expect(unordered.body.errors.map((e: { path: string }) => e.path)).toEqual(['/recency/1']);
});

test('scores and facts appear and change as purchases arrive; the program a purchase starts reads them already', async () => {
  // Bought while RFM was off: turning it on reads the purchase from the timeline.
  const early = 'early@example.com';
  await tend.event({ type: 'purchase', email: early, properties: { order: { total: '45.5' } } });
  await tend.event({ type: 'purchase', email: early, properties: { order: { total: 'n/a' } } });
  await tend.until(async () => Number((await tend.sql('SELECT count(*) FROM outbox'))[0].count) === 0, 'the purchases to be dispatched');
  expect(await rfm(early)).toEqual({});
  await settings({ enabled: true, eventType: 'purchase', valueProperty: 'order.total', window: '1 hour', recency: ['1 hour', '2 hours', '3 hours', '4 hours'], frequency: [2, 3, 4, 5], monetary: [50, 100, 200, 400] });
  await tend.until(async () => (await rfm(early)).rfm_purchase_count === 2, 'the history to be scored');
  expect(await rfm(early)).toMatchObject({ rfm_recency: 5, rfm_frequency: 2, rfm_monetary: 1, rfm_purchase_total: 45.5 });

  const thanks = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Thanks by frequency',
    settings: { reentry: 'afterExit' },
    nodes: [
      { id: 'bought', type: 'tend.trigger.event', version: 1, config: { eventType: 'purchase' } },
      { id: 'repeat', type: 'tend.logic.if', version: 1, config: { condition: { field: 'contact.attributes.rfm_frequency', op: 'gte', value: 2 } } },
      { id: 'again', type: 'tend.action.email', version: 1, config: { subject: 'Thanks again ({{contact.attributes.rfm_purchase_count}} orders)', html: '<p>!</p>', marketing: false } },
      { id: 'first', type: 'tend.action.email', version: 1, config: { subject: 'Thanks for your first order', html: '<p>!</p>', marketing: false } },
    ],
    edges: [
      { id: 'e1', source: 'bought', sourcePort: 'next', target: 'repeat' },
      { id: 'e2', source: 'repeat', sourcePort: 'yes', target: 'again' },
      { id: 'e3', source: 'repeat', sourcePort: 'no', target: 'first' },
    ],
  });
  const email = 'buyer@example.com';
  const firstAt = new Date(Date.now() - 60_000).toISOString();
  await tend.event({ type: 'purchase', email, occurredAt: firstAt, properties: { order: { total: 30 } } });
  await tend.until(async () => (await rfm(email)).rfm_purchase_count === 1, 'the first scores');
  expect(await rfm(email)).toEqual({ rfm_recency: 5, rfm_frequency: 1, rfm_monetary: 1, rfm_last_purchase_at: firstAt, rfm_purchase_count: 1, rfm_purchase_total: 30 });
  await tend.until(async () => tend.mailbox.messages.length === 1, 'the first thank-you');

  // A numeric string counts as its number; other events and a re-sent purchase change nothing.
  await tend.event({ type: 'page_viewed', email, properties: { order: { total: 999 } } });
  const second = { type: 'purchase', email, clientId: 'order-2', properties: { order: { total: '80.50' } } };
  await tend.event(second);
  await tend.event(second);
  await tend.until(async () => (await rfm(email)).rfm_purchase_count === 2, 'the second scores');
  await tend.until(async () => tend.mailbox.messages.length === 2, 'the second thank-you');
  const now = await rfm(email);
  expect(now).toMatchObject({ rfm_recency: 5, rfm_frequency: 2, rfm_monetary: 3, rfm_purchase_count: 2, rfm_purchase_total: 110.5 });
  expect(new Date(now.rfm_last_purchase_at as string).getTime()).toBeGreaterThan(new Date(firstAt).getTime());
  expect(tend.mailbox.messages.map((m) => m.subject)).toEqual(['Thanks for your first order', 'Thanks again (2 orders)']);

  // A purchase from before the window: the last purchase and the window's facts stay as they are.
  await tend.event({ type: 'purchase', email, occurredAt: new Date(Date.now() - 2 * 3600_000).toISOString(), properties: { order: { total: 500 } } });
  await tend.until(async () => (await tend.api('GET', `/api/flows/${thanks}/stats`)).body.enrollments.completed === 3, 'the third run');
  expect(await rfm(email)).toEqual(now);

  // Each change is a contact change on the timeline, by RFM, naming the purchase.
  const changes = await rfmChanges(email);
  expect(changes).toHaveLength(2);
  expect(changes[1].changes.attributes).toMatchObject({ rfm_frequency: { from: 1, to: 2 }, rfm_monetary: { from: 1, to: 3 }, rfm_purchase_total: { from: 30, to: 110.5 } });
  expect(changes[1].eventId).toEqual(expect.any(String));
  tend.mailbox.messages.length = 0;
});

test('recency falls as its boundaries pass and purchases leave the window, by the due queue alone', async () => {
  // Another purchase event: the contacts scored for "purchase" lose their scores.
  await settings({ enabled: true, eventType: 'order_completed', valueProperty: 'value', window: '13 seconds', recency: ['3 seconds', '6 seconds', '9 seconds', '12 seconds'], frequency: [2, 3, 4, 5], monetary: [10, 20, 30, 40] });
  // A field-changed program sees the drop, as a marketer's at-risk program would.
  await tend.publish({
    format: 'tend.flow/v1',
    name: 'Slipping',
    settings: { reentry: 'afterExit' },
    nodes: [
      { id: 'slipped', type: 'tend.trigger.field-changed', version: 1, config: { field: 'attributes.rfm_recency', to: 2 } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'We miss you', html: '<p>Come back</p>' } },
    ],
    edges: [{ id: 'e1', source: 'slipped', sourcePort: 'next', target: 'mail' }],
  });
  // Those scored for "purchase" have no "order_completed": their scores go.
  for (const gone of ['early@example.com', 'buyer@example.com']) await tend.until(async () => Object.keys(await rfm(gone)).length === 0, `${gone}'s old scores to be cleared`);
  // Many contacts who never bought: the queue must not hold them, and nothing touches them.
  const rows = Array.from({ length: 300 }, (_, i) => ({ email: `browser${i}@example.com`, attributes: { plan: 'free' } }));
  expect((await tend.api('POST', '/api/contacts/batch', { contacts: rows })).status).toBe(200);
  const email = 'fading@example.com';
  await tend.event({ type: 'order_completed', email, properties: { value: 25 } });
  await tend.until(async () => (await rfm(email)).rfm_recency === 5, 'the purchase');
  expect(await rfm(email)).toMatchObject({ rfm_frequency: 1, rfm_monetary: 3, rfm_purchase_count: 1, rfm_purchase_total: 25 });

  // The queue holds purchasers only, each due at their next boundary.
  const { id } = await contact(email);
  const due = await tend.sql('SELECT contact_id, due_at FROM rfm_due');
  const purchasers = (await tend.sql('SELECT DISTINCT contact_id FROM rfm_purchases')).map((r) => r.contact_id).sort();
  expect(due.map((r) => r.contact_id).sort()).toEqual(purchasers);
  const last = new Date((await rfm(email)).rfm_last_purchase_at as string).getTime();
  // (The next boundary is 3 seconds after the purchase, or a later one if the tick already passed it.)
  expect([3000, 6000, 9000, 12000]).toContain(due.find((r) => r.contact_id === id)!.due_at.getTime() - last);

  await tend.until(async () => (await rfm(email)).rfm_recency === 1, 'recency to fall to 1', 30000);
  await tend.until(async () => (await rfm(email)).rfm_purchase_count === 0, 'the purchase to leave the window', 30000);
  expect(await rfm(email)).toMatchObject({ rfm_recency: 1, rfm_frequency: 1, rfm_monetary: 1, rfm_purchase_total: 0 });
  // Every step down on the timeline, one boundary at a time.
  const recency = (await rfmChanges(email)).map((c) => c.changes.attributes.rfm_recency?.to).filter((r) => r !== undefined);
  expect(recency).toEqual([5, 4, 3, 2, 1]);
  // (The earlier buyer was re-queued by the new settings and fades too: only this contact's mail counts here.)
  const mine = () => tend.mailbox.messages.filter((m) => (m.to as { text: string }).text === email).map((m) => m.subject);
  await tend.until(async () => mine().length > 0, 'the at-risk email');
  await new Promise((r) => setTimeout(r, 500));
  expect(mine()).toEqual(['We miss you']);
  // Nothing left to re-check for this contact until they buy again.
  expect((await tend.sql('SELECT 1 FROM rfm_due WHERE contact_id = $1', [id])).length).toBe(0);
  const touched = await tend.sql("SELECT count(*)::int AS n FROM contacts WHERE email LIKE 'browser%' AND attributes ? 'rfm_recency'");
  expect(touched[0].n).toBe(0);
  expect((await tend.sql('SELECT count(*)::int AS n FROM rfm_due'))[0].n).toBe(0);
});
