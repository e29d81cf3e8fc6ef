// Program 9, churn rescue, from its template with seconds for days: a customer who
// stays away gets the whole sequence; one who orders after the first offer leaves it;
// one whose new order moved the quiet date is not rescued at all.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { template } from '../support/templates.js';

let tend: Tend;
beforeAll(async () => {
  tend = await startTend();
  const second = { duration: '1 second' };
  // The second week is longer: room for the returning customer's order to arrive under load.
  const doc = JSON.parse(JSON.stringify(template('churn-rescue', { quiet: { offset: '3 seconds', atLocalTime: undefined }, week1: second, week2: { duration: '4 seconds' }, week3: second })));
  const imported = await tend.api('POST', '/api/flows/import', doc);
  expect((await tend.api('POST', `/api/flows/${imported.body.id}/publish`)).status).toBe(200);
});
afterAll(async () => { await tend?.stop(); });

const to = (email: string) => tend.mailbox.messages.filter((m) => (m.to as { text: string }).text === email).map((m) => m.subject);

test('stays away: the whole sequence; comes back: out at once; kept ordering: nothing', async () => {
  const now = new Date().toISOString();
  for (const email of ['gone@example.com', 'back@example.com', 'loyal@example.com']) await tend.api('PUT', '/api/contacts', { email, attributes: { last_order_at: now } });
  await new Promise((r) => setTimeout(r, 1500));
  await tend.api('PUT', '/api/contacts', { email: 'loyal@example.com', attributes: { last_order_at: new Date(Date.now() + 60_000).toISOString() } });

  await tend.until(async () => to('back@example.com').length === 2, 'the first offer', 20000);
  await tend.event({ type: 'order_completed', email: 'back@example.com' });
  await tend.until(async () => to('care@team.example').length === 1, 'the call task', 20000);
  await new Promise((r) => setTimeout(r, 1500));

  expect(to('gone@example.com')).toEqual(['We have missed you', 'Free shipping on your next order', '15% off, just for you']);
  expect(to('care@team.example')).toEqual(['Call gone@example.com: no order for 111 days']);
  expect(to('back@example.com')).toEqual(['We have missed you', 'Free shipping on your next order']);
  expect(to('loyal@example.com')).toEqual([]);
});
