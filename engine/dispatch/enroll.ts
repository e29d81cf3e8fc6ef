// Entering a contact into a program through a trigger (its correlation key, the
// program's re-entry rule and holdout), and starting the new runs: a burst's runs take
// their first step together in one `firstSteps` workflow, a lone run gets its own
// workflow at once (engine/ARCHITECTURE.md, "First steps").
import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Db } from '../storage/db.js';
import { toEvent, type EventRow } from '../storage/events.js';
import { entryCheck, insertEnrollment } from '../storage/enrollments.js';
import { handOverRun } from '../storage/runs.js';
import { recordHeldOut } from '../storage/attribution.js';
import { readPath } from '../plugin/conditions.js';
import { addDuration } from '../plugin/duration.js';
import type { EnrollmentInput } from '../run/types.js';
import { firstSteps } from '../temporal/workflows.js';
import { runStarter } from '../temporal/client.js';
import { isHeldOut } from './holdout.js';
import type { TriggerEntry } from './triggers.js';

export interface EnrollOptions {
  db: Db;
  client: Client;
  taskQueue: string;
  /** Runs entered together take their first step in one shared workflow. */
  firstSteps?: boolean;
  activity?: EnrollmentInput['activity'];
  historyLimit?: number;
}

export function createEnroller(opts: EnrollOptions) {
  const { db } = opts;
  const startOwn = runStarter(opts.client, opts.taskQueue);

  /**
   * Enters the event's contact through trigger `t`, unless its rules say no; the new
   * run goes into `starts` (with first steps) or gets its workflow now. Returns the run,
   * also when a retried dispatch finds the one it entered before.
   */
  async function enroll(t: TriggerEntry, row: EventRow, starts: EnrollmentInput[]): Promise<string | undefined> {
    const event = toEvent(row);
    const keyPath = t.spec.correlationKey ?? t.doc.settings?.correlationKey;
    const rawKey = keyPath ? readPath(event, keyPath) : '';
    if (keyPath && (rawKey === undefined || rawKey === null || rawKey === '')) return undefined; // a keyed program needs the key
    const key = String(rawKey ?? '');
    const settings = t.doc.settings ?? {};
    const reentry = settings.reentry ?? 'afterExit';
    // Two statements, no transaction: a contact's events are dispatched in order (one lane
    // per contact, and dispatchers take turns by contact), so nothing enters this contact
    // into this program meanwhile; and the unique index enrollments_one_active would refuse
    // a second active run if anything did.
    const entry = { programId: t.programId, version: t.version, contactId: row.contact_id, key, triggerEventId: row.id, triggerNode: t.nodeId, ownWorkflow: !opts.firstSteps };
    // The default rule (again once the last run ended) and no holdout: the unique indexes
    // decide alone, so the insert goes first and the check is read only when it is refused
    // (a retried dispatch finds its run; else the contact is inside already). One statement
    // a contact instead of two, in the common case.
    const simple = reentry === 'afterExit' && !settings.holdoutPercent;
    const enrollmentId = await (async (): Promise<string | undefined> => {
      if (simple) return (await insertEnrollment(db, entry)) ?? (await entryCheck(db, entry)).mine ?? undefined;
      const found = await entryCheck(db, entry);
      if (found.mine) return found.mine; // a retried dispatch: make sure its workflow runs
      const last = found.last;
      if (last?.status === 'active') return undefined;
      if (last && reentry === 'never') return undefined;
      if (last && reentry === 'afterPeriod' && settings.reentryAfter && addDuration(last.enteredAt, settings.reentryAfter) > new Date()) return undefined;
      // Attribution holdout (engine/dispatch/holdout.ts): a held-out entrant is recorded as such and gets nothing — no workflow starts.
      if (isHeldOut(t.programId, row.contact_id, settings.holdoutPercent)) return void (await recordHeldOut(db, { programId: t.programId, version: t.version, contactId: row.contact_id, key, triggerEventId: row.id, triggerNode: t.nodeId }));
      return insertEnrollment(db, entry);
    })();
    if (!enrollmentId) return undefined;
    const input: EnrollmentInput = { enrollmentId, node: t.nodeId, programId: t.programId, quick: t.quick, goal: settings.goal, goals: t.goals, exitOn: t.spec.exitOn ? { when: t.spec.exitOn, reason: t.spec.exitReason ?? 'exit event' } : undefined, activity: opts.activity, historyLimit: opts.historyLimit };
    if (opts.firstSteps) starts.push(input);
    else await startOwn(input);
    return enrollmentId;
  }

  /**
   * Starts a dispatched batch's new runs: several take their first step together in one
   * `firstSteps` workflow; a lone one (light traffic) gets its own workflow at once,
   * which costs the same and keeps its latency. Either way a run has one runner: the
   * batch claims its runs, and a lone run is marked as having its own workflow first.
   */
  async function startRuns(runs: EnrollmentInput[]): Promise<void> {
    if (runs.length === 0) return;
    if (runs.length === 1) {
      // Marked first, with the events kept for it (a dispatch tried again after a failed start finds the mark and starts the same input).
      const input = await handOverRun(db, runs[0]!);
      if (input) await startOwn(input); // else a first-steps workflow has it, or it ended
      return;
    }
    await opts.client.workflow.start(firstSteps, { workflowId: `first-steps-${crypto.randomUUID()}`, taskQueue: opts.taskQueue, args: [{ runs }] });
  }

  return { enroll, startRuns };
}
