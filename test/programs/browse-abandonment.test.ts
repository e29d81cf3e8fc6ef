// Program 12, browse abandonment: a viewed product not added to the cart gets one email
// about that product; adding it, or starting a checkout, gets none.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { template } from '../support/templates.js';
import { linkTargets } from '../support/smtp.js';

let tend: Tend;
beforeAll(async () => {
  tend = await startTend();
  const imported = await tend.api('POST', '/api/flows/import', template('browse-abandonment', { added: { timeout: '4 seconds' } }));
  expect((await tend.api('POST', `/api/flows/${imported.body.id}/publish`)).status).toBe(200);
});
afterAll(async () => { await tend?.stop(); });

const view = (email: string, id: string, name: string) => tend.event({ type: 'product_viewed', email, properties: { product_id: id, name, url: `https://shop.example/p/${id}`, image: `https://shop.example/i/${id}.jpg` } });
const to = (email: string) => tend.mailbox.messages.filter((m) => (m.to as { text: string }).text === email).map((m) => m.subject);

test('one email per product left behind; none after adding it or starting a checkout', async () => {
  await view('looker@example.com', 'P1', 'Red Boots');
  await view('looker@example.com', 'P2', 'Blue Scarf');
  await view('buyer@example.com', 'P3', 'Green Hat');
  await view('checkout@example.com', 'P4', 'Grey Coat');
  await tend.event({ type: 'added_to_cart', email: 'looker@example.com', properties: { product_id: 'P2' } });
  await tend.event({ type: 'added_to_cart', email: 'buyer@example.com', properties: { product_id: 'P3' } });
  await tend.event({ type: 'checkout_started', email: 'checkout@example.com', properties: { cart_id: 'C9' } });
  await tend.mailbox.waitFor(1, 20000);
  await new Promise((r) => setTimeout(r, 5000));
  expect(to('looker@example.com')).toEqual(['Still thinking about the Red Boots?']);
  expect(await linkTargets(tend.mailbox.messages[0]!)).toContain('https://shop.example/p/P1');
  expect(to('buyer@example.com')).toEqual([]);
  expect(to('checkout@example.com')).toEqual([]);
});
