// Program 7, new-category expansion, with the purchase-tags program it relies on:
// lens buyers who never bought sunglasses get the sequence; buying sunglasses ends it;
// those who already own sunglasses never start it.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { template } from '../support/templates.js';

let tend: Tend;
beforeAll(async () => {
  tend = await startTend();
  for (const doc of [template('purchase-tags'), template('new-category', { wait: { duration: '1 second' }, wait2: { duration: '4 seconds' } })]) {
    const imported = await tend.api('POST', '/api/flows/import', doc);
    expect((await tend.api('POST', `/api/flows/${imported.body.id}/publish`)).status).toBe(200);
  }
});
afterAll(async () => { await tend?.stop(); });

const to = (email: string) => tend.mailbox.messages.filter((m) => (m.to as { text: string }).text === email).map((m) => m.subject);
const contact = async (email: string) => (await tend.api('GET', `/api/contacts?email=${encodeURIComponent(email)}`)).body.contacts[0];
let n = 0;
const order = (email: string, category: string) => tend.event({ type: 'order_completed', email, properties: { order_id: `O${++n}`, category } });

test('the sequence for lens-only buyers, ended by a sunglasses order, never for owners of sunglasses', async () => {
  await order('owner@example.com', 'sunglasses');
  await tend.until(async () => (await contact('owner@example.com'))?.tags.includes('bought:sunglasses'), 'the owner tagged');
  await order('owner@example.com', 'lenses');
  await order('lensonly@example.com', 'lenses');
  await order('converts@example.com', 'lenses');
  await tend.until(async () => to('converts@example.com').length === 1, 'the intro', 20000);
  await order('converts@example.com', 'sunglasses');
  await tend.until(async () => to('lensonly@example.com').length === 2, 'the whole sequence', 20000);
  await new Promise((r) => setTimeout(r, 1500));

  expect(to('lensonly@example.com')).toEqual(['Your eyes, outdoors: meet our sunglasses', '10% off your first sunglasses']);
  expect(to('converts@example.com')).toEqual(['Your eyes, outdoors: meet our sunglasses']);
  expect(to('owner@example.com')).toEqual([]);
  const converts = await contact('converts@example.com');
  expect(converts.tags.sort()).toEqual(['bought:lenses', 'bought:sunglasses']);
  expect(typeof converts.attributes.last_order_at).toBe('string');
});
