// An event reaches the contact's running runs: signalled to a run's own workflow, or
// kept for a run still taking its first step in a shared workflow (handed over with it).
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Db } from '../storage/db.js';
import { keepForRun } from '../storage/runs.js';
import { notStartedYet } from '../storage/enrollments.js';
import type { SignalledEvent } from '../plugin/match.js';
import { eventSignal, workflowIdOf } from '../temporal/workflows.js';

/** A run's workflow is not there yet (its first step is being taken in a shared workflow): the event is signalled again shortly. */
export class RunNotStartedYet extends Error {}

/** Signals to a run still in its first step are tried again this often, for at most this many tries. */
export const NOT_STARTED_RETRY_SECONDS = 0.5;
const NOT_STARTED_TRIES = 120;

export function createRunSignaller(opts: { db: Db; client: Client; firstSteps?: boolean }) {
  /**
   * `ownWorkflow`: the runs known to have a workflow of their own (the others may be in
   * their first step); `attempts`: how often this event was dispatched before.
   */
  return async function signalRuns(runIds: string[], event: SignalledEvent, ownWorkflow: Set<string>, attempts: number): Promise<void> {
    await Promise.all(runIds.map(async (id) => {
      if (opts.firstSteps && !ownWorkflow.has(id) && (await keepForRun(opts.db, id, event))) return;
      try {
        await opts.client.workflow.getHandle(workflowIdOf(id)).signal(eventSignal, event);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        // It ended meanwhile, or it was handed its own workflow an instant ago and that
        // is not started yet (then the event is signalled again shortly).
        if (attempts < NOT_STARTED_TRIES && (await notStartedYet(opts.db, id))) throw new RunNotStartedYet(`run ${id} has no workflow yet`);
      }
    }));
  };
}
