// Moves stored events to programs: starts enrollments whose trigger matches and
// signals the contact's running enrollments. Reads the outbox, so an event stored
// before a crash is dispatched after it; dispatch is at-least-once and every step
// is idempotent (enrollment per trigger event, workflow id per enrollment, event
// ids de-duplicated in the workflow). The parts, each in its own module: the trigger
// catalogue (triggers.ts), entering and starting runs (enroll.ts), events to running
// runs (signal-runs.ts), back-pressure (backlog.ts), the per-second sweep (sweep.ts)
// and the LISTEN connection (storage/outbox-listener.ts).
import type { Client } from '@temporalio/client';
import type { Db } from '../storage/db.js';
import { transaction } from '../storage/db.js';
import { getContact } from '../storage/contacts.js';
import { toEvent, type EventRow } from '../storage/events.js';
import { claimDue, contactsOfEvents, removeHandled, retryLater } from '../storage/outbox.js';
import { activeRuns } from '../storage/enrollments.js';
import type { Metrics } from '../ops/metrics.js';
import type { Contact } from '../plugin/index.js';
import type { Registry } from '../plugin/registry.js';
import type { EnrollmentInput } from '../run/types.js';
import { scoreEvent } from '../audience/scoring.js';
import { refreshForEvent } from '../audience/segments/membership.js';
import { predictiveOnEvent } from '../audience/predictive.js';
import { rfmOnEvent } from '../audience/rfm.js';
import { createTriggerCatalogue, triggerHolds, type TriggerEntry } from './triggers.js';
import { createEnroller } from './enroll.js';
import { createRunSignaller, NOT_STARTED_RETRY_SECONDS, RunNotStartedYet } from './signal-runs.js';
import { createBacklogGauge } from './backlog.js';
import { createSweep } from './sweep.js';
import { createOutboxListener } from '../storage/outbox-listener.js';

/** What a drained batch reads once rather than for each of its events. */
interface BatchContext {
  /** The live programs' triggers as the batch began (a program published meanwhile is in the next batch). */
  triggers: TriggerEntry[];
  /** Running enrollments of the batch's contacts, with the runs the batch starts added as it goes. */
  active: Map<string, Set<string>>;
  /** Each claimed event's contact as the batch began (an identity merge may have moved it since it was stored). */
  contactOf: Map<string, string>;
  /** The new runs of the batch, started together when it is dispatched (with first steps on). */
  starts: EnrollmentInput[];
  /** Running enrollments that had a workflow of their own as the batch began (the others are signalled by keeping the event for them). */
  ownWorkflow: Set<string>;
}

/** Contacts dispatched at once; each holds a pooled connection while it enrolls (the server's pool has 20). */
const DISPATCH_CONCURRENCY = 12;
/** Outbox rows claimed per transaction: larger batches spread a batch's slowest Temporal call over more events. */
const BATCH = 250;

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}

export interface DispatcherOptions {
  db: Db;
  client: Client;
  registry: Registry;
  taskQueue: string;
  /**
   * Back-pressure: while more workflow tasks than this wait on the task queue for a
   * worker, events stay in the outbox instead of starting more runs. 0 turns it off.
   */
  backlogLimit?: number;
  activity?: EnrollmentInput['activity'];
  historyLimit?: number;
  onError?: (err: unknown) => void;
  /** Where the backlog readings go (`tend_workflow_backlog`). */
  metrics?: Metrics;
  /** Runs entered together take their first step in one shared workflow (TEND_FIRST_STEPS; default on). */
  firstSteps?: boolean;
}

export { workflowIdOf } from '../temporal/workflows.js';

export function createDispatcher(opts: DispatcherOptions) {
  const { db } = opts;
  let running = false;
  let again = false;
  let stopped = false;
  /** The sweep in flight, awaited on stop. */
  let sweeping: Promise<unknown> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const triggers = createTriggerCatalogue(db, opts.registry);
  const { enroll, startRuns } = createEnroller(opts);
  const signalRuns = createRunSignaller(opts);
  const workersBehind = createBacklogGauge({ client: opts.client, taskQueue: opts.taskQueue, limit: opts.backlogLimit ?? 0, metrics: opts.metrics, onError: opts.onError });
  const sweep = createSweep({ db, triggers, kick: () => void kick(), onError: opts.onError });
  const listener = createOutboxListener(db, () => void kick(), opts.onError);

  async function dispatchEvent(claimed: EventRow & { attempts?: number }, batch: BatchContext): Promise<void> {
    // The event's contact as it is now: an identity merge may have moved it since it was claimed.
    const row = { ...claimed, contact_id: batch.contactOf.get(claimed.id) ?? claimed.contact_id };
    // Scoring, RFM, the predictive score and segments first: their changes are events of their own, dispatched after this one.
    await scoreEvent(db, row);
    await rfmOnEvent(db, row);
    await predictiveOnEvent(db, row.contact_id, row.type);
    await refreshForEvent(db, row.contact_id, row.type);
    const started = new Set<string>();
    const matching = batch.triggers.filter((t) => t.spec.eventType === row.type);
    if (matching.length) {
      // Read only for a trigger whose filter or history rule looks at the contact.
      let contact: Contact | undefined;
      const contactNow = async () => (contact ??= await getContact(db, row.contact_id));
      const event = toEvent(row);
      for (const t of matching) {
        if (!(await triggerHolds(db, t, row, event, contactNow))) continue;
        const id = await enroll(t, row, batch.starts);
        if (id) started.add(id);
      }
    }
    // A merge may have brought the event to a contact this batch did not claim.
    const active = batch.active.get(row.contact_id) ?? (await activeRuns(db, [row.contact_id])).get(row.contact_id)!;
    batch.active.set(row.contact_id, active);
    const payload = { id: row.id, type: row.type, properties: row.properties, occurredAt: row.occurred_at.toISOString() };
    await signalRuns([...active].filter((id) => !started.has(id)), payload, batch.ownWorkflow, claimed.attempts ?? 0);
    for (const id of started) active.add(id); // the contact's next events in this batch reach it
  }

  /** Dispatches everything in the outbox, oldest first. */
  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      if (await workersBehind()) return total; // the next tick looks again
      const batch = await transaction(db, async (tx) => {
        // Rows are claimed in order, but two dispatchers claiming at once take them turn
        // about, so some of a contact's earlier events may be in the other one's batch: a
        // contact goes as far as its events here follow each other, and waits there for its turn.
        const rows = await claimDue(tx, BATCH);
        // One contact's events in order; different contacts side by side, a few at a
        // time, so one slow Temporal call does not hold up everyone behind it.
        const byContact = new Map<string, typeof rows>();
        const waiting = new Set<string>();
        // Grouped by the contact the outbox counts `earlier` by (an event moved by a merge
        // keeps its old one there); dispatchEvent re-reads the contact the event has now.
        for (const row of rows) {
          if (waiting.has(row.queue_contact)) continue;
          const mine = byContact.get(row.queue_contact) ?? [];
          // Unless every earlier due event of the contact is here, ahead of it, another
          // dispatcher holds one: this one and the contact's later ones wait.
          if (row.earlier !== mine.length) waiting.add(row.queue_contact);
          else byContact.set(row.queue_contact, [...mine, row]);
        }
        const done: number[] = [];
        const failed: { row: (typeof rows)[number]; err: unknown }[] = [];
        const own = new Set<string>();
        const context: BatchContext = byContact.size
          ? { triggers: await triggers(), active: await activeRuns(db, [...new Set(rows.map((r) => r.contact_id))], own), contactOf: await contactsOfEvents(db, rows.map((r) => r.id)), starts: [], ownWorkflow: own }
          : { triggers: [], active: new Map(), contactOf: new Map(), starts: [], ownWorkflow: own };
        await inParallel([...byContact.values()], DISPATCH_CONCURRENCY, async (events) => {
          for (const row of events) {
            try {
              await dispatchEvent(row, context);
              done.push(row.outbox_id);
            } catch (err) {
              failed.push({ row, err });
              return; // later events of this contact wait for this one
            }
          }
        });
        // The batch's new runs start before its events leave the outbox: if starting fails,
        // the whole batch is dispatched again (its runs are found, not entered twice).
        await startRuns(context.starts);
        await removeHandled(tx, done);
        for (const { row, err } of failed) {
          const notYet = err instanceof RunNotStartedYet;
          if (!notYet) opts.onError?.(err);
          await retryLater(tx, row.outbox_id, String((err as Error).message ?? err), notYet ? NOT_STARTED_RETRY_SECONDS : Math.min(60, 2 ** row.attempts));
        }
        return { claimed: rows.length, handled: done.length + failed.length };
      });
      total += batch.handled;
      // All held back for other dispatchers: the next tick comes back for them.
      if (batch.claimed < BATCH || batch.handled === 0) return total;
    }
  }

  async function kick(): Promise<void> {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await drain();
      } while (again && !stopped);
    } catch (err) {
      opts.onError?.(err);
    } finally {
      running = false;
    }
  }

  return {
    kick,
    drain,
    /** Listens for new outbox rows and sweeps every second for retries and missed notifications. */
    async start(): Promise<void> {
      await listener.listen();
      timer = setInterval(() => {
        if (!stopped) listener.keep();
        void kick();
        if (!stopped) sweeping ??= sweep().catch((err) => opts.onError?.(err)).finally(() => (sweeping = undefined));
      }, 1000);
      void kick();
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      await listener.stop();
      while (running) await new Promise((r) => setTimeout(r, 20));
      await sweeping;
    },
  };
}
