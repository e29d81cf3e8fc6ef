// PostgreSQL restarts under a running Tend (server, dispatcher and worker in this
// process): nothing crashes, the pool and the dispatcher's LISTEN connection come
// back, and every event accepted before or after runs once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort, startEmbeddedPostgres, type RunningPostgres } from '../../engine/stack/postgres.js';
import { startTend, type Tend } from '../support/tend.js';
import { emails, expectedTally, mailTally, onboarding, sleep } from '../support/faults.js';

let tend: Tend;
let postgres: RunningPostgres;
let port: number;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-pg-restart-'));
fs.chmodSync(dir, 0o755); // as root, PostgreSQL runs as its own user
const startPostgres = () => startEmbeddedPostgres(path.join(dir, 'postgres'), { port });

beforeAll(async () => {
  port = await freePort();
  postgres = await startPostgres();
  tend = await startTend({ pgUrl: postgres.url });
});
afterAll(async () => {
  await tend?.stop();
  await postgres?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const listening = async () => (await tend.sql<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'LISTEN tend_outbox'"))[0]!.n;

test('a PostgreSQL restart loses no accepted event and sends nothing twice', async () => {
  const programId = await tend.publish(onboarding());
  const stats = async () => (await tend.api('GET', `/api/flows/${programId}/stats`)).body;
  const before = emails('before', 5);
  for (const email of before) await tend.event({ type: 'signed_up', email });
  await tend.until(async () => (await stats()).nodes.wait.waiting === 5, 'five contacts waiting', 60000);
  expect(await listening()).toBe(1);

  await postgres.stop();
  // While it is down, the API refuses with 503 and Retry-After: nothing is accepted, so nothing is owed.
  const refused = await tend.api('POST', '/api/events', { type: 'signed_up', email: 'down@example.com' });
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('1');
  await sleep(1500); // the dispatcher's sweep and the worker's polls meet the outage
  postgres = await startPostgres();

  // The API answers again as soon as the database does (the pool drops dead clients).
  await tend.until(async () => (await tend.api('GET', '/api/flows')).status === 200, 'the API to answer again', 30000);
  const after = emails('after', 5);
  for (const email of after) await tend.event({ type: 'signed_up', email });
  for (const email of before) await tend.event({ type: 'activated', email });

  await tend.until(async () => (await stats()).enrollments.completed === 5 && (await stats()).nodes.wait.waiting === 5, 'the first five to finish and five more to wait', 90000);
  await tend.until(async () => (await listening()) === 1, 'the dispatcher to LISTEN again', 30000);
  await sleep(1000);
  expect(mailTally(tend.mailbox)).toEqual({ ...expectedTally([...before, ...after], ['Welcome']), ...expectedTally(before, ['Activated']) });
  expect(await tend.sql("SELECT count(*)::int AS n FROM contacts WHERE email = 'down@example.com'")).toEqual([{ n: 0 }]);
  expect(await tend.sql('SELECT count(*)::int AS n FROM outbox')).toEqual([{ n: 0 }]);
});

test('PostgreSQL going away between the SMTP server accepting a message and the send being recorded sends it once', async () => {
  await tend.publish({ ...onboarding(), name: 'Receipt', nodes: [
    { id: 'paid', type: 'tend.trigger.event', version: 1, config: { eventType: 'paid' } },
    { id: 'receipt', type: 'tend.action.email', version: 1, config: { subject: 'Receipt', html: '<p>Thanks.</p>' } },
  ], edges: [{ id: 'e1', source: 'paid', sourcePort: 'next', target: 'receipt' }] });
  let arrived!: () => void;
  const inFlight = new Promise<void>((r) => { arrived = r; });
  let release!: () => void;
  const released = new Promise<void>((r) => { release = r; });
  tend.mailbox.beforeAccept = async (raw) => {
    if (!raw.toString('utf8').includes('Subject: Receipt')) return;
    arrived();
    await released;
  };
  await tend.event({ type: 'paid', email: 'receipt@example.com' });
  await inFlight;
  await postgres.stop();
  release(); // the SMTP server says 250 while the database is down
  await tend.mailbox.waitFor(tend.mailbox.messages.filter((m) => m.subject !== 'Receipt').length + 1, 30000);
  await sleep(2000);
  postgres = await startPostgres();
  tend.mailbox.beforeAccept = undefined;

  await tend.until(async () => (await tend.sql<{ status: string }>("SELECT status FROM messages WHERE recipient = 'receipt@example.com'"))[0]?.status === 'sent', 'the receipt recorded as sent', 60000);
  await sleep(3000); // time for a wrong second send to arrive
  expect(tend.mailbox.messages.filter((m) => m.subject === 'Receipt')).toHaveLength(1);
});
