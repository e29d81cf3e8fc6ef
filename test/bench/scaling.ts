// `npm run bench -- scaling`: contacts through the 5-node program per second with 1, 2
// and 4 `tend worker` processes on one task queue, on the same machine and servers.
// Workers are stateless, so adding processes should add throughput until the machine
// (here: its cores, shared with PostgreSQL, Temporal and the server) runs out.
//
// BENCH_SCALE_CONTACTS (default 1,000) contacts per measurement, BENCH_SCALE_WORKERS
// (default "1,2,4").
import pg from 'pg';
import { fiveNodes, throughFiveNodes } from './programs.js';
import { apiClient, startInfra } from './infra.js';
import { spawnTend, type TendProcess } from './processes.js';

export interface ScalingRow { workers: number; perSecond: number; cpuSecondsPerWorker: number[] }

export async function benchScaling(log: (m: string) => void): Promise<ScalingRow[]> {
  const N = Number(process.env.BENCH_SCALE_CONTACTS ?? 1000);
  const counts = (process.env.BENCH_SCALE_WORKERS ?? '1,2,4').split(',').map(Number);
  log(`\nScaling: ${N} contacts through a 5-node program with ${counts.join(', ')} worker processes`);
  const infra = await startInfra(log);
  const env = { DATABASE_URL: infra.databaseUrl, TEMPORAL_ADDRESS: infra.temporalAddress, TEND_API_KEY: 'bench', TEND_TASK_QUEUE: 'tend-scaling', TEND_DATA_DIR: infra.dir, SMTP_URL: 'smtp://127.0.0.1:9' };
  const server = await spawnTend('server', env);
  const api = apiClient(`http://127.0.0.1:${server.port}`, 'bench');
  const db = new pg.Pool({ connectionString: infra.databaseUrl, max: 2 });
  const { id: programId } = await api('POST', '/api/flows', fiveNodes);
  await api('POST', `/api/flows/${programId}/publish`);

  const rows: ScalingRow[] = [];
  // A warm-up round with one worker first: bundles, caches and connections.
  for (const [round, workers] of [[0, 1], ...counts.map((c, i) => [i + 1, c])] as [number, number][]) {
    const procs: TendProcess[] = await Promise.all(Array.from({ length: workers }, () => spawnTend('worker', env)));
    const cpuFrom = procs.map((p) => p.cpuSeconds());
    const size = round === 0 ? Math.min(N, 200) : N;
    const label = round === 0 ? 'warm-up, 1 worker' : `${workers} worker${workers === 1 ? '' : 's'}`;
    const perSecond = await throughFiveNodes({ api, db, programId, prefix: `s${round}`, count: size, label, pollMs: 200 });
    if (round > 0) rows.push({ workers, perSecond, cpuSecondsPerWorker: procs.map((p, i) => p.cpuSeconds() - cpuFrom[i]!) });
    await Promise.all(procs.map((p) => p.stop()));
  }

  await db.end();
  await server.stop();
  await infra.stop();
  return rows;
}

export function printScaling(rows: ScalingRow[]): void {
  const one = rows.find((r) => r.workers === 1)?.perSecond ?? rows[0]!.perSecond;
  console.log('scaling, contacts through the 5-node program per second, by worker processes:');
  for (const r of rows) {
    console.log(`  ${r.workers} worker${r.workers === 1 ? ' ' : 's'}: ${r.perSecond.toFixed(1)}/s   × ${(r.perSecond / one).toFixed(2)} of one worker   worker CPU s: ${r.cpuSecondsPerWorker.map((c) => c.toFixed(1)).join(', ')}`);
  }
}
