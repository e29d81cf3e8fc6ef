// `npm run bench -- drain`: how fast events that start no program (page views, most of a
// website's traffic) leave the outbox, while runs keep flowing — issue #14's target 4
// (≥ 2,000 events/s). BENCH_DRAIN events from as many contacts are stored with dispatch
// off (an API-only server), one in BENCH_DRAIN_RUN_EVERY of them starting a run; then a
// dispatching server and a worker start and the time until the outbox is empty is
// measured. Baseline, same database, same run: the same number of rows deleted from a
// copy of the outbox 100 at a time, as the dispatcher claims them.
import pg from 'pg';
import { apiClient, inLanes, sleep, startInfra } from './infra.js';
import { spawnTend } from './processes.js';
import { progress } from './stats.js';

const EVENTS = Number(process.env.BENCH_DRAIN ?? 10_000);
const RUN_EVERY = Number(process.env.BENCH_DRAIN_RUN_EVERY ?? 50);

export interface DrainFigures { events: number; runs: number; seconds: number; perSecond: number; bareSeconds: number; barePerSecond: number; serverCpuMsPerEvent: number }

export async function benchDrain(log: (m: string) => void): Promise<DrainFigures> {
  const infra = await startInfra(log);
  const env = { DATABASE_URL: infra.databaseUrl, TEMPORAL_ADDRESS: infra.temporalAddress, TEND_API_KEY: 'bench', TEND_TASK_QUEUE: 'tend-drain', TEND_DATA_DIR: infra.dir, SMTP_URL: '' };
  const ingest = await spawnTend('server', { ...env, TEND_DISPATCH: 'off' });
  const api = apiClient(`http://127.0.0.1:${ingest.port}`, 'bench');
  const program = await api('POST', '/api/flows', {
    format: 'tend.flow/v1', name: 'drain: a run now and then',
    nodes: [
      { id: 'in', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } },
      { id: 'tag', type: 'tend.action.update-contact', version: 1, config: { operations: [{ op: 'addTag', tag: 'new' }] } },
    ],
    edges: [{ id: 'e1', source: 'in', sourcePort: 'next', target: 'tag' }],
  });
  await api('POST', `/api/flows/${program.id}/publish`);
  log(`Storing ${EVENTS} events (1 in ${RUN_EVERY} starts a run) with dispatch off …`);
  const batches = Math.ceil(EVENTS / 500);
  let stored = 0;
  await inLanes(batches, 4, async (b) => {
    const events = Array.from({ length: Math.min(500, EVENTS - b * 500) }, (_, i) => {
      const n = b * 500 + i;
      return n % RUN_EVERY === 0 ? { type: 'signed_up', externalId: `v${n}` } : { type: 'page_view', externalId: `v${n}`, properties: { path: `/p/${n % 50}` } };
    });
    await api('POST', '/api/events/batch', { events });
    stored += events.length;
    progress('stored', stored, EVENTS);
  });
  await ingest.stop();

  const db = new pg.Client({ connectionString: infra.databaseUrl });
  await db.connect();
  const depth = async () => Number((await db.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n);
  // The baseline first, on a copy: claiming and deleting the same rows, 100 at a time.
  await db.query('CREATE TABLE outbox_copy AS SELECT * FROM outbox');
  await db.query('ALTER TABLE outbox_copy ADD PRIMARY KEY (id)');
  const bareStart = performance.now();
  for (;;) {
    const r = await db.query('DELETE FROM outbox_copy WHERE id IN (SELECT id FROM outbox_copy ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED)');
    if (!r.rowCount) break;
  }
  const bareSeconds = (performance.now() - bareStart) / 1000;

  const worker = await spawnTend('worker', env);
  const server = await spawnTend('server', env); // the dispatcher starts with it: timed from the moment the server is up
  const before = await depth();
  const start = performance.now();
  const cpu0 = server.cpuSeconds();
  for (let left = before; left > 0; left = await depth()) {
    progress('dispatched', before - left, before);
    await sleep(100);
  }
  const seconds = (performance.now() - start) / 1000;
  const serverCpu = server.cpuSeconds() - cpu0;
  const runs = Number((await db.query("SELECT count(*)::int AS n FROM enrollments")).rows[0].n);
  await db.end();
  await server.stop();
  await worker.stop();
  await infra.stop();
  return { events: before, runs, seconds, perSecond: before / seconds, bareSeconds, barePerSecond: before / bareSeconds, serverCpuMsPerEvent: (serverCpu * 1000) / before };
}

export function printDrain(f: DrainFigures): void {
  console.log(`\ndispatch drain: ${f.events} events still queued when the server was up (${f.runs} runs started in all) left the outbox in ${f.seconds.toFixed(1)} s = ${Math.round(f.perSecond)} events/s (target ≥ 2,000 ${f.perSecond >= 2000 ? '✔' : '✘'});`
    + ` bare claim-and-delete of the same rows ${Math.round(f.barePerSecond)} events/s; ratio ${(f.perSecond / f.barePerSecond).toFixed(2)}; server CPU ${f.serverCpuMsPerEvent.toFixed(2)} ms per event`);
}
