// Whether this process can do its work: the database answers, its schema is up to
// date, and Temporal answers when the process talks to it. Each check is bounded in
// time, so a load balancer's probe never hangs on a dead dependency.
import type { Db } from '../storage/db.js';
import { pendingMigrations } from '../storage/migrate.js';
import { ping } from '../storage/ops-figures.js';

/** What both Temporal connection types (client and worker) offer for a cheap round trip. */
export interface TemporalProbe {
  withDeadline<T>(deadline: number | Date, fn: () => Promise<T>): Promise<T>;
  workflowService: { getSystemInfo(request: object): Promise<unknown> };
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function checkReadiness(deps: { db: Db; temporal?: TemporalProbe; timeoutMs?: number }): Promise<Readiness> {
  const ms = deps.timeoutMs ?? 2000;
  const checks: Readiness['checks'] = {};
  const run = async (name: string, fn: () => Promise<string | undefined>) => {
    try {
      const problem = await within(ms, name, fn());
      checks[name] = problem ? { ok: false, error: problem } : { ok: true };
    } catch (err) {
      checks[name] = { ok: false, error: (err as Error).message || String(err) };
    }
  };
  // The Temporal call's own deadline ends before the check's timeout, so its retries stop by themselves.
  await Promise.all([
    run('database', async () => {
      await ping(deps.db);
      const pending = await pendingMigrations(deps.db);
      checks.migrations = pending.length ? { ok: false, error: `not applied: ${pending.join(', ')}` } : { ok: true };
      return undefined;
    }),
    deps.temporal ? run('temporal', async () => void (await deps.temporal!.withDeadline(Date.now() + ms - 250, () => deps.temporal!.workflowService.getSystemInfo({})))) : undefined,
  ]);
  checks.migrations ??= { ok: false, error: 'database unreachable' };
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}
