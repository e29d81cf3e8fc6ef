// Program 13, replenishment: a reminder before the expected run-out date, unless the
// customer reorders first; other orders do not start it.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { template } from '../support/templates.js';

let tend: Tend;
beforeAll(async () => {
  tend = await startTend();
  const imported = await tend.api('POST', '/api/flows/import', template('replenishment', { until: { offset: '-2 seconds' } }));
  expect((await tend.api('POST', `/api/flows/${imported.body.id}/publish`)).status).toBe(200);
});
afterAll(async () => { await tend?.stop(); });

const to = (email: string) => tend.mailbox.messages.filter((m) => (m.to as { text: string }).text === email).map((m) => m.subject);
const order = (email: string, orderId: string, category: string, runsOutInSeconds: number) =>
  tend.event({ type: 'order_completed', email, properties: { order_id: orderId, category, product: 'Lenses', runs_out_at: new Date(Date.now() + runsOutInSeconds * 1000).toISOString() } });

test('reminded before running out; reordering first cancels it; a non-consumable starts nothing', async () => {
  await order('runs-low@example.com', 'O-1', 'consumable', 5);
  await order('reorders@example.com', 'O-2', 'consumable', 6);
  await order('other@example.com', 'O-3', 'furniture', 5);
  await new Promise((r) => setTimeout(r, 1000));
  await order('reorders@example.com', 'O-4', 'consumable', 3600); // the reorder: its own run, far in the future
  await tend.mailbox.waitFor(1, 20000);
  await new Promise((r) => setTimeout(r, 4000));
  expect(to('runs-low@example.com')).toEqual(['Running low on Lenses?']);
  expect(to('reorders@example.com')).toEqual([]);
  expect(to('other@example.com')).toEqual([]);
});
