// A burst for 2,000 contacts through /api/events/batch: 10,000 distinct events plus
// 2,000 re-sends (the same clientId), shuffled (timestamps out of order), several
// batches at once. The database holds exactly the de-duplicated events, every one of
// them is dispatched, and the order program (keyed by order id) ran exactly once per
// distinct order of each contact.
//
// Every contact signs up once; a seeded tenth of them place one or two orders, which
// the program runs on; page views make up the rest. TEND_BURST_BUYERS=0.5 makes half
// of the contacts buyers, for a heavier run (runs cost far more than events).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { seeded } from '../support/seeded.js';

let tend: Tend;
beforeAll(async () => { tend = await startTend(); });
afterAll(async () => { await tend?.stop(); });

const CONTACTS = 2000;
const DISTINCT = 10_000;
const RESENDS = 2_000;
const BATCH = 500;
const PARALLEL = 3;
const BUYERS = Number(process.env.TEND_BURST_BUYERS ?? 0.1);

interface Input { type: string; email: string; clientId: string; occurredAt: string; properties: Record<string, unknown> }

function burst(rand: ReturnType<typeof seeded>) {
  const distinct: Input[] = [];
  const orders = new Map<string, number>();
  const base = Date.parse('2026-11-01T00:00:00Z');
  const at = () => new Date(base - rand.int(30 * 86400_000)).toISOString();
  for (let i = 0; i < CONTACTS; i++) {
    const email = `burst${i}@example.com`;
    distinct.push({ type: 'signed_up', email, clientId: `${email}/signup`, occurredAt: at(), properties: {} });
    if (!rand.chance(BUYERS)) continue;
    const n = rand.chance(0.2) ? 2 : 1;
    orders.set(email, n);
    for (let j = 0; j < n; j++) distinct.push({ type: 'order_placed', email, clientId: `${email}/order/${j}`, occurredAt: at(), properties: { orderId: `o-${i}-${j}` } });
  }
  const views = new Map<number, number>();
  while (distinct.length < DISTINCT) {
    const i = rand.int(CONTACTS);
    const n = (views.get(i) ?? 0) + 1;
    views.set(i, n);
    distinct.push({ type: 'page_viewed', email: `burst${i}@example.com`, clientId: `burst${i}@example.com/view/${n}`, occurredAt: at(), properties: { path: `/docs/${rand.int(40)}` } });
  }
  // A client that retries re-sends the same event: the same body, the same clientId.
  const posts = [...distinct];
  for (let i = 0; i < RESENDS; i++) posts.push(rand.pick(distinct));
  return { distinct, orders, posts: rand.shuffle(posts) };
}

test('a burst with duplicates and shuffled timestamps stores each event once and runs each order once', async () => {
  const rand = seeded();
  console.log(`burst seed ${rand.seed} (replay with TEND_TEST_SEED=${rand.seed})`);
  const { distinct, orders, posts } = burst(rand);
  const programId = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Count orders',
    settings: { correlationKey: 'properties.orderId' },
    nodes: [
      { id: 'placed', type: 'tend.trigger.event', version: 1, config: { eventType: 'order_placed' } },
      { id: 'done', type: 'tend.logic.exit', version: 1, config: { reason: 'counted' } },
    ],
    edges: [{ id: 'e1', source: 'placed', sourcePort: 'next', target: 'done' }],
  });

  const batches: Input[][] = [];
  for (let i = 0; i < posts.length; i += BATCH) batches.push(posts.slice(i, i + BATCH));
  let next = 0;
  const started = Date.now();
  const statuses: number[] = [];
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    while (next < batches.length) {
      const res = await tend.api('POST', '/api/events/batch', { events: batches[next++] });
      if (res.status !== 202) console.error(JSON.stringify(res.body).slice(0, 500));
      statuses.push(res.status);
    }
  }));
  expect(statuses).toEqual(batches.map(() => 202));
  console.log(`burst: ${posts.length} events posted in ${Date.now() - started} ms`);

  // Stored: exactly the de-duplicated input, with the timestamps it carried.
  const byType = await tend.sql<{ type: string; n: number; clients: number }>("SELECT type, count(*)::int AS n, count(DISTINCT client_id)::int AS clients FROM events WHERE source = 'api' GROUP BY type ORDER BY type");
  const want = (type: string) => distinct.filter((e) => e.type === type).length;
  expect(byType).toEqual(['order_placed', 'page_viewed', 'signed_up'].map((type) => ({ type, n: want(type), clients: want(type) })));
  expect(await tend.sql('SELECT count(*)::int AS n FROM contacts')).toEqual([{ n: CONTACTS }]);
  const sample = rand.pick(distinct);
  expect((await tend.sql<{ at: Date }>('SELECT occurred_at AS at FROM events WHERE client_id = $1', [sample.clientId]))[0]!.at.toISOString()).toBe(sample.occurredAt);

  // Ran: one run per distinct order, all finished, and each contact's count is its number of orders.
  const totalOrders = [...orders.values()].reduce((a, b) => a + b, 0);
  const ended = async () => (await tend.sql<{ n: number }>("SELECT count(*)::int AS n FROM enrollments WHERE status <> 'active'"))[0]!.n;
  await tend.until(async () => (await ended()) >= totalOrders, `${totalOrders} runs to end`, 300_000);
  console.log(`burst: ${totalOrders} runs completed ${Date.now() - started} ms after the first post`);
  const runs = await tend.sql<{ email: string; runs: number; keys: number }>(
    'SELECT c.email, count(*)::int AS runs, count(DISTINCT e.key)::int AS keys FROM enrollments e JOIN contacts c ON c.id = e.contact_id WHERE e.program_id = $1 GROUP BY c.email',
    [programId],
  );
  expect(Object.fromEntries(runs.map((r) => [r.email, r.runs]))).toEqual(Object.fromEntries(orders));
  expect(runs.every((r) => r.keys === r.runs)).toBe(true);
  expect(await tend.sql("SELECT status, count(*)::int AS n FROM enrollments GROUP BY status")).toEqual([{ status: 'exited', n: totalOrders }]);
  await tend.until(async () => (await tend.sql<{ n: number }>('SELECT count(*)::int AS n FROM outbox'))[0]!.n === 0, 'every event to be dispatched', 300_000);
  console.log(`burst: all ${distinct.length} distinct events dispatched ${Date.now() - started} ms after the first post`);
}, 600_000);
