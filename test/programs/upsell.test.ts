// Program 5, triggered upsell with a holdout: after a trip is delivered, the offer
// goes to the offer group only; the holdout group is tagged for measuring the lift;
// undelivered or non-trip orders get nothing.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { template } from '../support/templates.js';

let tend: Tend;
let programId: string;
beforeAll(async () => {
  tend = await startTend();
  // Even groups, so 24 contacts surely fill both (the template holds out 10%).
  const imported = await tend.api('POST', '/api/flows/import', template('upsell', {
    delivered: { timeout: '5 seconds' },
    groups: { variants: [{ name: 'offer', label: 'Offer', weight: 50 }, { name: 'holdout', label: 'Holdout', weight: 50 }] },
  }));
  programId = imported.body.id;
  expect((await tend.api('POST', `/api/flows/${programId}/publish`)).status).toBe(200);
});
afterAll(async () => { await tend?.stop(); });

test('offers after delivery, to the offer group only', async () => {
  const travellers = Array.from({ length: 24 }, (_, i) => `t${i}@example.com`);
  await tend.api('POST', '/api/events/batch', { events: [
    ...travellers.map((email, i) => ({ type: 'order_completed', email, properties: { order_id: `T${i}`, category: 'trip', destination: 'Lisbon' } })),
    { type: 'order_completed', email: 'undelivered@example.com', properties: { order_id: 'U1', category: 'trip', destination: 'Oslo' } },
    { type: 'order_completed', email: 'shoes@example.com', properties: { order_id: 'S1', category: 'shoes' } },
  ] });
  await tend.until(async () => (await tend.api('GET', `/api/flows/${programId}/stats`)).body.nodes.delivered.entered === 25, 'all trips to wait', 20000);
  await tend.api('POST', '/api/events/batch', { events: travellers.map((email, i) => ({ type: 'order_delivered', email, properties: { order_id: `T${i}` } })) });
  await tend.until(async () => {
    const { enrollments } = (await tend.api('GET', `/api/flows/${programId}/stats`)).body;
    return (enrollments.completed ?? 0) === 25;
  }, 'every run to end', 30000);

  const stats = (await tend.api('GET', `/api/flows/${programId}/stats`)).body;
  const offered = stats.edges.e3.count as number;
  const held = stats.edges.e4.count as number;
  expect(offered + held).toBe(24);
  expect(offered).toBeGreaterThan(0);
  expect(held).toBeGreaterThan(0);
  expect(tend.mailbox.messages).toHaveLength(offered);
  expect(new Set(tend.mailbox.messages.map((m) => m.subject))).toEqual(new Set(['Travel safe: insurance for your trip to Lisbon']));
  const tagged = (await tend.api('GET', '/api/contacts?q=example.com&limit=100')).body.contacts.filter((c: { tags: string[] }) => c.tags.includes('holdout:travel-insurance'));
  expect(tagged).toHaveLength(held);
  expect(stats.edges.e2.count).toBe(24); // the undelivered trip timed out; the shoes never entered
});
