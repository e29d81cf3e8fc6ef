// The messaging policy's sending ceiling: "at most 2 marketing emails per second" from
// every program together. Six contacts entering two programs at once get their emails
// half a second apart, in the order they were queued, each once; a receipt (not
// marketing) is not held behind them; the queued ones say why.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
beforeAll(async () => { tend = await startTend(); });
afterAll(async () => { await tend?.stop(); });

const program = (name: string, eventType: string, subject: string, marketing = true) => ({
  format: 'tend.flow/v1', name,
  nodes: [
    { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType } },
    { id: 'mail', type: 'tend.action.email', version: 1, config: { subject, html: '<p>Hello</p>', marketing } },
  ],
  edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'mail' }],
});

test('a ceiling of 2 emails a second: six marketing emails from two programs go half a second apart, once each; a receipt is not held', async () => {
  expect((await tend.api('PUT', '/api/messaging-policy', { ceilings: [{ channel: 'email', max: 2, per: '1 second' }] })).status).toBe(200);
  const launch = await tend.publish(program('Launch', 'launch', 'Launch'));
  const offer = await tend.publish(program('Offer', 'offer', 'Offer'));
  const receipts = await tend.publish(program('Receipts', 'bought', 'Receipt', false));
  await tend.api('POST', '/api/events/batch', { events: [
    ...Array.from({ length: 3 }, (_, i) => ({ type: 'launch', email: `l${i}@example.com` })),
    ...Array.from({ length: 3 }, (_, i) => ({ type: 'offer', email: `o${i}@example.com` })),
  ] });
  // Queued behind the others: the later ones wait for their places, and say so.
  await tend.until(async () => (await tend.sql<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE status = 'deferred' AND reason LIKE 'sending ceiling: 2 email per 1 second, queued%'"))[0]!.n >= 2, 'queued sends');
  await tend.event({ type: 'bought', email: 'buyer@example.com' });
  await tend.until(async () => tend.mailbox.messages.length === 7, 'seven emails', 30_000);

  const sent = await tend.sql<{ program_id: string; recipient: string; sent_at: Date }>(
    "SELECT program_id, recipient, sent_at FROM messages WHERE status = 'sent' ORDER BY sent_at",
  );
  const marketing = sent.filter((m) => m.program_id !== receipts);
  expect(marketing).toHaveLength(6);
  expect(new Set(marketing.map((m) => m.recipient)).size).toBe(6);
  expect(new Set(marketing.map((m) => m.program_id))).toEqual(new Set([launch, offer]));
  // Each sent once at the SMTP server.
  const tally = new Map<string, number>();
  for (const m of tend.mailbox.messages) tally.set(String(m.subject), (tally.get(String(m.subject)) ?? 0) + 1);
  expect(Object.fromEntries(tally)).toEqual({ Launch: 3, Offer: 3, Receipt: 1 });
  // One queue for the channel, whichever program sends.
  expect(await tend.sql("SELECT count(*)::int AS n FROM pacing_queues WHERE key LIKE 'ceiling:%'")).toEqual([{ n: 1 }]);
  const times = marketing.map((m) => m.sent_at.getTime());
  // The six queued at once took the places half a second apart that end where the queue's
  // next place is now; the i-th send cannot go before the i-th place (later, it may).
  const [{ next_at: next }] = await tend.sql<{ next_at: Date }>("SELECT next_at FROM pacing_queues WHERE key = 'ceiling:email'");
  for (let i = 0; i < times.length; i++) expect(times[i]!, `send ${i}`).toBeGreaterThanOrEqual(next!.getTime() - (times.length - i) * 500 - 20);
  // The receipt did not wait for the queue.
  const receipt = sent.find((m) => m.program_id === receipts)!;
  expect(receipt.sent_at.getTime()).toBeLessThan(times.at(-1)!);
  // Taken places leave no rows behind.
  await tend.until(async () => (await tend.sql<{ n: number }>("SELECT count(*)::int AS n FROM pacing_places WHERE queue = 'ceiling:email'"))[0]!.n === 0, 'places taken');
});

test('a ceiling with a bad period or size is refused, naming the field', async () => {
  const bad = await tend.api('PUT', '/api/messaging-policy', { ceilings: [{ channel: 'email', max: 0, per: 'soon' }] });
  expect(bad.status).toBe(422);
  expect(JSON.stringify(bad.body)).toContain('/ceilings/0/max');
});

test("the program's counts say how many sends the ceiling holds at a node (the canvas shows them as queued)", async () => {
  expect((await tend.api('PUT', '/api/messaging-policy', { ceilings: [{ channel: 'email', max: 1, per: '10 minutes' }] })).status).toBe(200);
  const slow = await tend.publish(program('Slow lane', 'slow', 'Slow'));
  const mailsBefore = tend.mailbox.messages.length;
  await tend.api('POST', '/api/events/batch', { events: Array.from({ length: 3 }, (_, i) => ({ type: 'slow', email: `s${i}@example.com` })) });
  // One place every ten minutes: at most one of the three goes out now, the others are held.
  const stats = await tend.until(async () => {
    const s = (await tend.api('GET', `/api/flows/${slow}/stats`)).body;
    const m = s.nodes.mail.messages;
    return m && m.queued + m.sent === 3 ? s : undefined;
  }, 'all three at the mail node, sent or queued');
  const { queued, sent } = stats.nodes.mail.messages;
  expect(queued).toBeGreaterThanOrEqual(2);
  expect(stats.nodes.mail.waiting + (stats.nodes.mail.active ?? 0)).toBe(queued);
  await tend.until(async () => tend.mailbox.messages.length === mailsBefore + sent, 'the one sent, if any');
  // The rows say why they wait.
  expect(await tend.sql("SELECT count(*)::int AS n FROM messages WHERE program_id = $1 AND status = 'deferred' AND reason LIKE 'sending ceiling: 1 email per 10 minutes, queued%'", [slow])).toEqual([{ n: queued }]);
  await tend.api('PUT', '/api/messaging-policy', {});
});
