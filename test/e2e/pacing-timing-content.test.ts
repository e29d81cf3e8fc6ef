// Three of issue #18's capabilities as a marketer meets them in the editor, each against
// real servers: a throttle that lets one contact an hour through (the rest "queued" on
// its node), an email whose recommendations come from a real HTTP service at send time
// (connected content, set in the email's form), and a wait for each contact's best time
// (the run waits for the hour this contact opens, shown as waiting on the node).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { forgetConnected } from '../../engine/delivery/connected-content.js';
import { forgetPopulationHour } from '../../engine/audience/send-time.js';
import { canvasNode, expectNoBrowserErrors, fieldValues, openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let shop: Receiver;
let s: Session;
beforeAll(async () => { [tend, shop, s] = await Promise.all([startTend(), startReceiver(), openBrowser()]); forgetConnected(); await signIn(s.page, tend); });
afterAll(async () => { await s?.close(); await shop?.close(); await tend?.stop(); });

test('a throttle queues contacts on the canvas; the email that passes carries what the shop answered at send time', async () => {
  shop.respond = (req) => {
    const url = new URL(req.path, shop.url);
    return url.pathname === '/recs'
      ? { status: 200, body: { items: [{ name: `Trail shoes for ${url.searchParams.get('email')}` }] } }
      : { status: 404, body: {} };
  };
  const program = await tend.publish({
    format: 'tend.flow/v1', name: 'Weekly picks, paced',
    nodes: [
      { id: 'on', type: 'tend.trigger.event', version: 1, config: { eventType: 'weekly_picks' }, position: { x: 0, y: 120 } },
      { id: 'pace', type: 'tend.logic.throttle', version: 1, label: 'One an hour', config: { max: 1, per: '1 hour' }, position: { x: 320, y: 120 } },
      {
        id: 'mail', type: 'tend.action.email', version: 1, label: 'Picks email', position: { x: 640, y: 120 },
        config: {
          subject: 'Picked for you',
          html: '<p>{{#each connected.recs.items}}[{{name}}]{{/each}}</p>',
          connected: [{ name: 'recs', url: `${shop.url}/recs?email={{urlencode contact.email}}`, ttl: '5 minutes', fallback: '{"items": []}' }],
        },
      },
    ],
    edges: [
      { id: 'e1', source: 'on', sourcePort: 'next', target: 'pace' },
      { id: 'e2', source: 'pace', sourcePort: 'next', target: 'mail' },
    ],
  });
  await tend.api('POST', '/api/events/batch', { events: ['ann', 'bob', 'cy'].map((n) => ({ type: 'weekly_picks', email: `${n}@example.com` })) });

  // One through the throttle this hour, with what the shop answered for them; the shop asked once.
  await tend.until(async () => tend.mailbox.messages.length === 1, 'one email through the throttle');
  const mail = tend.mailbox.messages[0]!;
  const to = mail.to && 'text' in mail.to ? mail.to.text : '';
  expect(String(mail.html)).toContain(`[Trail shoes for ${to}]`);
  expect(shop.requests.map((r) => r.path)).toEqual([`/recs?email=${encodeURIComponent(to)}`]);

  const { page } = s;
  await page.goto(`${tend.url}/programs/${program}`);
  await expect.poll(() => canvasNode(page, 'pace').getByTestId('node-flow-counts').textContent(), { timeout: 15_000 }).toContain('2 queued');
  expect(await canvasNode(page, 'mail').getByTestId('node-message-counts').textContent()).toContain('1 sent');
  await s.screenshot('throttle-queued');

  // The email's form shows where its connected content comes from.
  await canvasNode(page, 'mail').locator('.tnode-head').click();
  const inspector = page.getByTestId('inspector-node');
  await expect.poll(() => fieldValues(inspector), { timeout: 10_000 }).toContain(`${shop.url}/recs?email={{urlencode contact.email}}`);
  await inspector.locator('input, textarea').evaluateAll((els, url) => els.find((e) => (e as HTMLInputElement).value === url)?.scrollIntoView({ block: 'center' }), `${shop.url}/recs?email={{urlencode contact.email}}`);
  await s.screenshot('connected-content');
  // Still one email and one call after the editor looked: two contacts stay queued for their hours.
  expect(tend.mailbox.messages).toHaveLength(1);
  expectNoBrowserErrors(s);
});

test("a wait for the best time holds a contact until the hour they open, shown as waiting on the node", async () => {
  // An hour three from now (UTC), in which this contact opened and clicked on earlier days.
  while (new Date().getUTCMinutes() === 59) await new Promise((r) => setTimeout(r, 5000));
  const bestHour = (new Date().getUTCHours() + 3) % 24;
  const email = 'reader@example.com';
  await tend.api('PUT', '/api/contacts', { email, timezone: 'UTC' });
  for (let daysAgo = 2; daysAgo <= 5; daysAgo++) {
    const at = new Date(Date.now() - daysAgo * 86_400_000);
    at.setUTCHours(bestHour, 20, 0, 0);
    await tend.event({ type: daysAgo === 2 ? 'email_clicked' : 'email_opened', email, occurredAt: at.toISOString(), properties: { messageId: `m${daysAgo}` } });
  }
  forgetPopulationHour();
  const program = await tend.publish({
    format: 'tend.flow/v1', name: 'Newsletter at the best time',
    nodes: [
      { id: 'ready', type: 'tend.trigger.event', version: 1, config: { eventType: 'newsletter_ready' }, position: { x: 0, y: 120 } },
      { id: 'best', type: 'tend.wait.best-time', version: 1, label: 'Their best hour', config: { within: '24 hours' }, position: { x: 320, y: 120 } },
      { id: 'mail', type: 'tend.action.email', version: 1, label: 'Newsletter', config: { subject: 'This week', html: '<p>News</p>' }, position: { x: 640, y: 120 } },
    ],
    edges: [{ id: 'e1', source: 'ready', sourcePort: 'next', target: 'best' }, { id: 'e2', source: 'best', sourcePort: 'next', target: 'mail' }],
  });
  await tend.event({ type: 'newsletter_ready', email });

  const waking = async () => (await tend.sql<{ wake_at: Date }>(
    `SELECT v.wake_at FROM node_visits v JOIN enrollments e ON e.id = v.enrollment_id JOIN contacts c ON c.id = e.contact_id
     WHERE v.program_id = $1 AND v.node_id = 'best' AND v.status = 'waiting' AND c.email = $2`, [program, email],
  ))[0]?.wake_at;
  await tend.until(async () => (await waking()) !== undefined, 'the run waiting at the best-time node');
  const wake = (await waking())!;
  expect(wake.getUTCHours()).toBe(bestHour);
  expect(wake.getUTCMinutes()).toBe(0);

  const { page } = s;
  await page.goto(`${tend.url}/programs/${program}`);
  await expect.poll(() => canvasNode(page, 'best').getByTestId('node-flow-counts').textContent(), { timeout: 15_000 }).toContain('1 waiting');
  await canvasNode(page, 'best').locator('.tnode-head').click();
  await expect.poll(() => fieldValues(page.getByTestId('inspector-node')), { timeout: 10_000 }).toContain('24 hours');
  await s.screenshot('send-time');
  expect(tend.mailbox.messages.filter((m) => m.subject === 'This week')).toHaveLength(0);
  expectNoBrowserErrors(s);
});
