// The worker process's core: polls Tend's task queue and runs enrollment workflows
// and node activities.
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime, Worker, bundleWorkflowCode, type LogLevel, type NativeConnection } from '@temporalio/worker';
import type { ActivityDeps } from '../run/activities.js';
import { createActivities } from '../run/activities.js';
import { createLog } from '../ops/log.js';
import { sdkLogLevelOf } from '../ops/config.js';

const workflowsPath = fileURLToPath(new URL('./workflows.ts', import.meta.url));

let runtimeInstalled = false;

/** The SDK logs every worker state change at INFO; TEND_LOG_LEVEL (default WARN) keeps the console for what matters. */
export function installRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const level = sdkLogLevelOf() as LogLevel;
  try {
    // No SDK signal handlers: Tend stops its worker itself, in order, on SIGINT/SIGTERM.
    // The SDK's lines in Tend's JSON-lines shape (component "temporal").
    const log = createLog({ level: 'debug' }).child({ component: 'temporal' });
    const write = ({ level: l, message, meta }: { level: LogLevel; message: string; meta?: Record<string, unknown> }) =>
      log[l === 'ERROR' ? 'error' : l === 'WARN' ? 'warn' : l === 'INFO' ? 'info' : 'debug'](message, meta);
    Runtime.install({ logger: new DefaultLogger(level, write), shutdownSignals: [] });
  } catch {
    // Already installed by the embedding process (e.g. a test harness): keep theirs.
  }
}

let bundle: Promise<{ code: string }> | undefined;

/** The workflow bundle is built once per process; building takes a few seconds. */
export function workflowBundle(): Promise<{ code: string }> {
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: { trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m), log() {} } as never });
  return bundle;
}

export async function createWorker(opts: { connection: NativeConnection; namespace: string; taskQueue: string; deps: ActivityDeps; maxConcurrentActivities?: number }): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities(opts.deps),
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivities ?? 100,
    maxCachedWorkflows: 2000,
    // A workflow task for a cached run goes to this worker's own (sticky) queue first; if
    // the worker died, the server moves it to the shared queue only after this long.
    // Temporal's default (10 s) made waits that fell due while a worker was down run
    // ~10 s late after it came back; 3 s bounds that, and a busy worker rarely leaves a
    // sticky task waiting so long (when it does, another worker replays the run).
    stickyQueueScheduleToStartTimeout: '3 seconds',
  });
}
