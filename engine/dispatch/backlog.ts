// Back-pressure: whether the workers are behind. Starting runs faster than workers take
// them only queues them inside Temporal, where a deep queue costs the server more per
// run; the events wait just as well (durably, in order) in the outbox. Fails open: a
// server that cannot tell its backlog does not stop dispatch.
import proto from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import type { Metrics } from '../ops/metrics.js';

const { TaskQueueKind, TaskQueueType } = proto.temporal.api.enums.v1;

/** How long a reading of the workers' backlog is trusted (Temporal refreshes it every few seconds itself). */
const BACKLOG_READ_EVERY_MS = 1000;

export interface BacklogOptions {
  client: Client;
  taskQueue: string;
  /** Workflow tasks waiting for a worker above which dispatch pauses; 0 turns it off. */
  limit: number;
  metrics?: Metrics;
  onError?: (err: unknown) => void;
}

export function createBacklogGauge(opts: BacklogOptions): () => Promise<boolean> {
  let backlog = { readAt: 0, tasks: 0, failing: false };
  return async function workersBehind(): Promise<boolean> {
    if (opts.limit <= 0) return false;
    if (Date.now() - backlog.readAt >= BACKLOG_READ_EVERY_MS) {
      try {
        const res = await opts.client.workflowService.describeTaskQueue({
          namespace: opts.client.options.namespace,
          taskQueue: { name: opts.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
          reportStats: true,
        });
        backlog = { readAt: Date.now(), tasks: Number(res.stats?.approximateBacklogCount ?? 0), failing: false };
      } catch (err) {
        if (!backlog.failing) opts.onError?.(err); // once, not every second
        backlog = { readAt: Date.now(), tasks: 0, failing: true };
      }
      opts.metrics?.set('tend_workflow_backlog', 'Workflow tasks waiting for a worker, as Temporal last reported them (dispatch pauses above TEND_DISPATCH_BACKLOG).', backlog.tasks);
    }
    return backlog.tasks > opts.limit;
  };
}
