// The servers a benchmark section runs against: a fresh embedded PostgreSQL and a
// Temporal dev server (in memory unless BENCH_TEMPORAL_DB=file: SQLite's fsyncs on one
// disk would be measured instead of Tend, and production Temporal has its own database).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../engine/stack/postgres.js';
import { startTemporalDevServer } from '../../engine/stack/temporal.js';
import { ensureTemporalCli } from '../../engine/stack/temporal-cli.js';

export interface Infra {
  dir: string;
  databaseUrl: string;
  temporalAddress: string;
  temporalPid: number;
  stop(): Promise<void>;
}

export async function startInfra(log: (m: string) => void, opts: { temporalOnFile?: boolean; postgresFlags?: string[] } = {}): Promise<Infra> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-bench-'));
  fs.chmodSync(dir, 0o755);
  const cli = await ensureTemporalCli(process.env.TEMPORAL_CLI_PATH, log);
  const [pgServer, temporal] = await Promise.all([
    startEmbeddedPostgres(path.join(dir, 'postgres'), { flags: opts.postgresFlags }),
    startTemporalDevServer({ cli, dbFile: opts.temporalOnFile || process.env.BENCH_TEMPORAL_DB === 'file' ? path.join(dir, 'temporal.db') : undefined, uiPort: false }),
  ]);
  return {
    dir,
    databaseUrl: pgServer.url,
    temporalAddress: temporal.address,
    temporalPid: temporal.process.pid!,
    stop: async () => {
      await Promise.all([temporal.stop(), pgServer.stop()]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A JSON API client for a Tend server, throwing on any non-2xx answer. */
export function apiClient(base: string, key: string) {
  return async (method: string, p: string, body?: unknown) => {
    const res = await fetch(base + p, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<any>;
  };
}

/** Runs `work` over 0…count-1 with `lanes` of them in flight. */
export async function inLanes(count: number, lanes: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(lanes, count) }, async () => {
    for (let i = next++; i < count; i = next++) await work(i);
  }));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
