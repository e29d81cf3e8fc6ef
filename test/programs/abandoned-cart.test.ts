// Program 11, abandoned cart, from its template with second-scale waits: the reminder
// lists the cart, a valuable cart also gets an SMS, a last email follows; an order at
// any point ends the run; a cart with no way to reach its owner is recorded as skipped.
import { afterAll, beforeAll, expect, test } from 'vitest';
import pg from 'pg';
import { startTend, type Tend } from '../support/tend.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { template } from '../support/templates.js';
import { linkTargets } from '../support/smtp.js';

let tend: Tend;
let sms: Receiver;
let db: pg.Client;
let programId: string;
beforeAll(async () => {
  sms = await startReceiver();
  sms.respond = () => ({ status: 201, body: { sid: 'SM1' } });
  tend = await startTend({ env: { TEND_SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+15550000000', TWILIO_API_URL: sms.url } });
  db = new pg.Client({ connectionString: tend.databaseUrl });
  await db.connect();
  const imported = await tend.api('POST', '/api/flows/import', template('abandoned-cart', {
    wait_order: { timeout: '2 seconds' },
    wait_day: { timeout: '4 seconds' }, // room for the late buyer's order under load
    wait_last: { timeout: '2 seconds' },
  }));
  expect(imported.status, JSON.stringify(imported.body)).toBe(201);
  programId = imported.body.id;
  expect((await tend.api('POST', `/api/flows/${programId}/publish`)).status).toBe(200);
});
afterAll(async () => {
  await db?.end();
  await tend?.stop();
  await sms?.close();
});

const checkout = (who: Record<string, unknown>, cart: string, total: number) => tend.event({
  type: 'checkout_started',
  ...who,
  properties: { cart_id: cart, total, cart_url: `https://shop.example/cart/${cart}`, items: [{ name: `Item of ${cart}`, qty: 1, price: total }] },
});
const order = (who: Record<string, unknown>, cart: string) => tend.event({ type: 'order_completed', ...who, properties: { cart_id: cart } });
const mailTo = (email: string) => tend.mailbox.messages.filter((m) => (m.to as { text: string }).text === email).map((m) => m.subject);
const run = async (cart: string) => (await db.query("SELECT status, exit_reason FROM enrollments WHERE key = $1", [cart])).rows[0];

test('happy path and the unhappy ones, side by side', async () => {
  await tend.api('PUT', '/api/contacts', { email: 'big@example.com', phone: '+15551110000', consent: { sms: true } });
  await checkout({ email: 'big@example.com' }, 'BIG', 240); // abandons a valuable cart
  await checkout({ email: 'small@example.com' }, 'SMALL', 30); // abandons a small cart
  await checkout({ email: 'quick@example.com' }, 'QUICK', 500); // orders before the reminder
  await checkout({ email: 'late@example.com' }, 'LATE', 500); // orders after the reminder
  await checkout({ externalId: 'guest-7' }, 'GUEST', 120); // no email address, no phone
  await order({ email: 'quick@example.com' }, 'QUICK');

  await tend.until(async () => mailTo('late@example.com').length === 1, 'the late buyer’s reminder', 20000);
  await order({ email: 'late@example.com' }, 'LATE');

  await tend.until(async () => {
    const { enrollments } = (await tend.api('GET', `/api/flows/${programId}/stats`)).body;
    return (enrollments.completed ?? 0) + (enrollments.exited ?? 0) === 5;
  }, 'every cart to be done', 40000);

  expect(mailTo('big@example.com')).toEqual(['You left 1 item(s) in your cart', 'Last call: your cart expires soon']);
  expect(mailTo('small@example.com')).toEqual(['You left 1 item(s) in your cart', 'Last call: your cart expires soon']);
  expect(mailTo('quick@example.com')).toEqual([]);
  expect(mailTo('late@example.com')).toEqual(['You left 1 item(s) in your cart']);
  const reminder = tend.mailbox.messages.find((m) => (m.to as { text: string }).text === 'big@example.com')!;
  expect(reminder.html).toContain('Item of BIG × 1 — €240.00');
  expect(await linkTargets(reminder)).toContain('https://shop.example/cart/BIG');

  // Only the valuable cart whose owner agreed to texts got one.
  expect(sms.requests.map((r) => new URLSearchParams(r.body).get('To'))).toEqual(['+15551110000']);
  expect(new URLSearchParams(sms.requests[0]!.body).get('Body')).toBe('Your cart at Shop is still waiting: https://shop.example/cart/BIG');

  expect(await run('QUICK')).toEqual({ status: 'exited', exit_reason: 'ordered' });
  expect(await run('LATE')).toEqual({ status: 'exited', exit_reason: 'ordered' });
  expect((await run('BIG')).status).toBe('completed');
  const guest = (await db.query("SELECT m.channel, m.status, m.reason FROM messages m JOIN enrollments e ON e.id = m.enrollment_id WHERE e.key = 'GUEST' ORDER BY m.created_at")).rows;
  expect(guest).toEqual([
    { channel: 'email', status: 'skipped', reason: 'no email address' },
    { channel: 'sms', status: 'skipped', reason: 'no phone number' },
    { channel: 'email', status: 'skipped', reason: 'no email address' },
  ]);

  const stats = (await tend.api('GET', `/api/flows/${programId}/stats`)).body;
  expect(stats.nodes.ordered.entered).toBe(2);
  expect(stats.nodes.reminder.messages).toMatchObject({ sent: 3, skipped: 1 }); // big, small, late; the guest skipped
});
