// The abandoned-cart program end to end: two carts of one contact are two runs; the
// cart that was ordered gets no email, the other one does, listing its own items.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { linkTargets, rawHeader } from '../support/smtp.js';

let tend: Tend;
beforeAll(async () => { tend = await startTend(); });
afterAll(async () => { await tend?.stop(); });

const cart = {
  format: 'tend.flow/v1',
  name: 'Abandoned cart',
  settings: { correlationKey: 'properties.cart_id' },
  nodes: [
    { id: 'checkout', type: 'tend.trigger.event', version: 1, config: { eventType: 'checkout_started' } },
    { id: 'wait_order', type: 'tend.wait.event', version: 1, config: { eventType: 'order_completed', timeout: '3 seconds' } },
    { id: 'reminder', type: 'tend.action.email', version: 1, config: { subject: 'You left {{event.properties.items.length}} item(s) in your cart', html: '<ul>{{#each event.properties.items}}<li>{{name}} × {{qty}}</li>{{/each}}</ul><a href="https://shop.example/cart/{{event.properties.cart_id}}">Return to your cart</a>' } },
  ],
  edges: [
    { id: 'e1', source: 'checkout', sourcePort: 'next', target: 'wait_order' },
    { id: 'e2', source: 'wait_order', sourcePort: 'timeout', target: 'reminder' },
  ],
};

test('only the cart that was not ordered gets the reminder, listing its own items', async () => {
  const programId = await tend.publish(cart);
  const email = 'ada@example.com';
  await tend.event({ type: 'checkout_started', email, properties: { cart_id: 'A', items: [{ name: 'Boots', qty: 1 }] } });
  await tend.event({ type: 'checkout_started', email, properties: { cart_id: 'B', items: [{ name: 'Scarf', qty: 2 }, { name: 'Hat', qty: 1 }] } });
  await tend.event({ type: 'order_completed', email, properties: { cart_id: 'A' } });

  const [mail] = await tend.mailbox.waitFor(1);
  expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe(email);
  expect(mail.subject).toBe('You left 2 item(s) in your cart');
  expect(mail.html).toContain('Scarf × 2');
  expect(mail.html).toContain('Hat × 1');
  expect(mail.html).not.toContain('Boots');
  expect(await linkTargets(mail)).toContain('https://shop.example/cart/B');
  expect(rawHeader(mail, 'List-Unsubscribe')).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/unsubscribe\/[^>]+>$/);

  // Both runs end; give cart A's run past its timeout to prove no second mail comes.
  await tend.until(async () => {
    const s = await tend.api('GET', `/api/flows/${programId}/stats`);
    return s.body.enrollments.completed === 2 && s.body;
  }, 'both runs to complete');
  await new Promise((r) => setTimeout(r, 1500));
  expect(tend.mailbox.messages).toHaveLength(1);
  const stats = (await tend.api('GET', `/api/flows/${programId}/stats`)).body;
  expect(stats.nodes.wait_order.entered).toBe(2);
  expect(stats.edges.e2.count).toBe(1);
  expect(stats.nodes.reminder.messages.sent).toBe(1);
});
