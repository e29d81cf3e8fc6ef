// `npm run bench -- parked`: many contacts parked in a 30-day wait. What each costs
// while it waits (bytes in Tend's database, memory of the Temporal server), what the
// worker holds, and whether anything spins while nobody is due. Baseline from the same
// run: bare Temporal workflows that only sleep 30 days, on the same Temporal server.
//
// BENCH_PARKED (default 100,000) contacts; BENCH_PARKED_BARE (default 10,000) bare
// workflows — the in-memory dev server holds some 100 kB for each, and the figures
// compared are per run; BENCH_IDLE_SECONDS (default 30) of quiet.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type InjectedSinks } from '@temporalio/worker';
import { installRuntime } from '../../engine/temporal/worker.js';
import type { BenchSinks } from './bare-workflow.js';
import { apiClient, inLanes, sleep, startInfra } from './infra.js';
import { parkedFor30Days } from './programs.js';
import { procStats, spawnTend, type TendProcess } from './processes.js';
import { progress } from './stats.js';

export interface ParkedReport {
  contacts: number;
  bare: { runs: number; perSecond: number; temporalBytesEach: number; cpuMsEach: Record<string, number> };
  tend: { perSecond: number; ingestSeconds: number; temporalBytesEach: number; postgresBytesEach: number; tables: [string, number][]; cpuMsEach: Record<string, number> };
  worker: { rssStartedMb: number; rssParkedMb: number };
  idle: { seconds: number; cpuPercent: Record<string, number> };
  /** Each tenth of the Tend contacts: parked per second and CPU per contact while it parked. */
  slices: { upTo: number; perSecond: number; temporalMsEach: number; workerMsEach: number }[];
}

/** CPU seconds of every process named postgres (the postmaster and its backends), by pid. */
function postgresCpu(): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') out.set(Number(pid), procStats(Number(pid)).cpuSeconds);
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** CPU seconds the processes used between two readings; backends that came or went count what they used in between. */
function cpuUsed(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, t] of after) total += t - (before.get(pid) ?? 0);
  return total;
}

/** CPU seconds used so far by Tend's processes, the Temporal server and PostgreSQL. */
function cpuReader(server: TendProcess, worker: TendProcess, temporalPid: number) {
  return () => ({ 'Tend server': server.cpuSeconds(), 'Tend worker': worker.cpuSeconds(), 'Temporal server': procStats(temporalPid).cpuSeconds, bench: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6, pg: postgresCpu() });
}
type CpuReading = ReturnType<ReturnType<typeof cpuReader>>;

function cpuBetween(a: CpuReading, b: CpuReading): Record<string, number> {
  return { 'Tend server': b['Tend server'] - a['Tend server'], 'Tend worker': b['Tend worker'] - a['Tend worker'], 'Temporal server': b['Temporal server'] - a['Temporal server'], PostgreSQL: cpuUsed(a.pg, b.pg), 'bench process': b.bench - a.bench };
}

export async function benchParked(log: (m: string) => void): Promise<ParkedReport> {
  const N = Number(process.env.BENCH_PARKED ?? 100_000);
  const BARE = Number(process.env.BENCH_PARKED_BARE ?? Math.min(N, 10_000));
  const IDLE = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
  log(`\nParked: ${N} contacts in a 30-day wait (bare Temporal: ${BARE} workflows), then ${IDLE} s of quiet`);
  const infra = await startInfra(log);
  const env = { DATABASE_URL: infra.databaseUrl, TEMPORAL_ADDRESS: infra.temporalAddress, TEND_API_KEY: 'bench', TEND_TASK_QUEUE: 'tend-parked', TEND_DATA_DIR: infra.dir, SMTP_URL: 'smtp://127.0.0.1:9' };
  const server = await spawnTend('server', env);
  const worker = await spawnTend('worker', env);
  const api = apiClient(`http://127.0.0.1:${server.port}`, 'bench');
  const db = new pg.Pool({ connectionString: infra.databaseUrl, max: 2 });
  const temporalRss = () => procStats(infra.temporalPid).rssBytes;

  // Baseline: bare workflows sleeping 30 days, started from here, run by a worker here.
  installRuntime();
  let bareParked = 0;
  const sinks: InjectedSinks<BenchSinks> = { bench: { parked: { fn: () => void bareParked++, callDuringReplay: false } } };
  const bareConnection = await NativeConnection.connect({ address: infra.temporalAddress });
  const bareWorker = await Worker.create({
    connection: bareConnection,
    taskQueue: 'bare-parked',
    workflowsPath: fileURLToPath(new URL('./bare-workflow.ts', import.meta.url)),
    sinks,
    maxCachedWorkflows: 2000,
  });
  const bareRunning = bareWorker.run();
  const client = new Client({ connection: await Connection.connect({ address: infra.temporalAddress }) });

  const cpu = cpuReader(server, worker, infra.temporalPid);
  const rssBefore = temporalRss();
  const bareCpuFrom = cpu();
  const bareStarted = performance.now();
  await inLanes(BARE, 32, async (i) => {
    await client.workflow.start('parked', { taskQueue: 'bare-parked', workflowId: `parked-${i}` });
    if (i % 500 === 0) progress('bare Temporal: started', bareParked, BARE);
  });
  while (bareParked < BARE) {
    progress('bare Temporal: started', bareParked, BARE);
    await sleep(100);
  }
  progress('bare Temporal: started', BARE, BARE);
  const bareSeconds = (performance.now() - bareStarted) / 1000;
  const rssAfterBare = temporalRss();
  const bareCpu = cpuBetween(bareCpuFrom, cpu());

  // Tend: events posted in batches; the dispatcher starts each contact's run, which parks at the wait.
  const { id: programId } = await api('POST', '/api/flows', parkedFor30Days);
  await api('POST', `/api/flows/${programId}/publish`);
  await db.query('CHECKPOINT');
  const dbBefore = Number((await db.query('SELECT pg_database_size(current_database()) AS n')).rows[0].n);
  const tablesBefore = new Map((await db.query<{ name: string; n: string }>("SELECT relname AS name, pg_total_relation_size(relid) AS n FROM pg_stat_user_tables")).rows.map((r) => [r.name, Number(r.n)]));
  const workerRssStarted = worker.rssBytes();
  const tendCpuFrom = cpu();
  const tendStarted = performance.now();
  const BATCH = 500;
  let posted = 0;
  await inLanes(Math.ceil(N / BATCH), 4, async (b) => {
    const events = Array.from({ length: Math.min(BATCH, N - b * BATCH) }, (_, j) => ({ type: 'bench_parked', email: `parked-${b * BATCH + j}@bench.example` }));
    await api('POST', '/api/events/batch', { events });
    posted += events.length;
    progress('Tend: events posted', posted, N);
  });
  const ingestSeconds = (performance.now() - tendStarted) / 1000;
  // How the pace changes as the population grows, a tenth at a time.
  const slices: ParkedReport['slices'] = [];
  let mark = { n: 0, at: tendStarted, cpu: cpuBetween(tendCpuFrom, tendCpuFrom) };
  for (;;) {
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM node_visits WHERE program_id = $1 AND node_id = 'wait' AND status = 'waiting'", [programId]);
    const n = rows[0]!.n;
    progress('Tend: parked at the wait', n, N);
    if (n >= Math.min(N, mark.n + N / 10)) {
      const now = { n, at: performance.now(), cpu: cpuBetween(tendCpuFrom, cpu()) };
      const each = (k: string) => ((now.cpu[k]! - mark.cpu[k]!) * 1000) / (n - mark.n);
      slices.push({ upTo: n, perSecond: (n - mark.n) / ((now.at - mark.at) / 1000), temporalMsEach: each('Temporal server'), workerMsEach: each('Tend worker') });
      mark = now;
    }
    if (n >= N) break;
    await sleep(1000);
  }
  const tendSeconds = (performance.now() - tendStarted) / 1000;
  const rssAfterTend = temporalRss();
  const tendCpu = cpuBetween(tendCpuFrom, cpu());
  await db.query('CHECKPOINT');
  const dbAfter = Number((await db.query('SELECT pg_database_size(current_database()) AS n')).rows[0].n);
  const tables = (await db.query<{ name: string; n: string }>("SELECT relname AS name, pg_total_relation_size(relid) AS n FROM pg_stat_user_tables")).rows
    .map((r): [string, number] => [r.name, (Number(r.n) - (tablesBefore.get(r.name) ?? 0)) / N])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);

  // Quiet: nobody is due for 30 days, so nothing should spin.
  await sleep(5000); // let the last workflow tasks and autovacuum settle
  const quietFrom = cpu();
  for (let s = 0; s < IDLE; s++) {
    progress('quiet', s, IDLE);
    await sleep(1000);
  }
  progress('quiet', IDLE, IDLE);
  const cpuPercent = Object.fromEntries(Object.entries(cpuBetween(quietFrom, cpu())).filter(([k]) => k !== 'bench process').map(([k, v]) => [k, (v / IDLE) * 100]));
  const workerRssParked = worker.rssBytes();

  bareWorker.shutdown();
  await bareRunning;
  await bareConnection.close();
  await client.connection.close();
  await db.end();
  await worker.stop();
  await server.stop();
  await infra.stop();
  const mb = (b: number) => b / 1024 / 1024;
  return {
    contacts: N,
    bare: { runs: BARE, perSecond: BARE / bareSeconds, temporalBytesEach: (rssAfterBare - rssBefore) / BARE, cpuMsEach: perContactMs(bareCpu, BARE) },
    tend: { perSecond: N / tendSeconds, ingestSeconds, temporalBytesEach: (rssAfterTend - rssAfterBare) / N, postgresBytesEach: (dbAfter - dbBefore) / N, tables, cpuMsEach: perContactMs(tendCpu, N) },
    worker: { rssStartedMb: mb(workerRssStarted), rssParkedMb: mb(workerRssParked) },
    idle: { seconds: IDLE, cpuPercent },
    slices,
  };
}

const perContactMs = (cpu: Record<string, number>, n: number) => Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, (v * 1000) / n]));

export function printParked(r: ParkedReport): void {
  const f0 = (n: number) => n.toFixed(0);
  console.log(`parked in a 30-day wait: ${r.contacts} Tend contacts, ${r.bare.runs} bare Temporal workflows:`);
  console.log(`  parked per second: bare Temporal ${f0(r.bare.perSecond)}, Tend ${f0(r.tend.perSecond)} (events posted in ${r.tend.ingestSeconds.toFixed(1)} s; ratio ${(r.tend.perSecond / r.bare.perSecond).toFixed(2)})`);
  const ms = (c: Record<string, number>) => Object.entries(c).filter(([, v]) => v >= 0.05).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
  console.log(`  CPU ms per parked run: bare ${ms(r.bare.cpuMsEach)}; Tend ${ms(r.tend.cpuMsEach)}`);
  console.log(`  Temporal server memory per parked run: bare ${f0(r.bare.temporalBytesEach)} B, Tend ${f0(r.tend.temporalBytesEach)} B`);
  console.log(`  PostgreSQL bytes per parked contact (Tend): ${f0(r.tend.postgresBytesEach)} B — ${r.tend.tables.slice(0, 5).map(([t, n]) => `${t} ${f0(n)}`).join(', ')}`);
  console.log(`  Tend worker memory: ${f0(r.worker.rssStartedMb)} MB started, ${f0(r.worker.rssParkedMb)} MB with every contact parked`);
  console.log(`  CPU while idle (${r.idle.seconds} s): ${Object.entries(r.idle.cpuPercent).map(([k, v]) => `${k} ${v.toFixed(1)}%`).join(', ')}`);
  console.log('  pace as the parked population grows (per tenth): parked/s, then CPU ms per contact of the Temporal server and the Tend worker');
  const top = Math.max(...r.slices.map((x) => x.perSecond));
  for (const x of r.slices) {
    console.log(`    up to ${String(x.upTo).padStart(7)}  ${'█'.repeat(Math.round((x.perSecond / top) * 30)).padEnd(30)} ${x.perSecond.toFixed(1).padStart(6)}/s   Temporal ${x.temporalMsEach.toFixed(1)} ms, worker ${x.workerMsEach.toFixed(1)} ms`);
  }
}
