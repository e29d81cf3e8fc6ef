// Moves stored events to programs: starts enrollments whose trigger matches and
// signals the contact's running enrollments. Reads the outbox, so an event stored
// before a crash is dispatched after it; dispatch is at-least-once and every step
// is idempotent (enrollment per trigger event, workflow id per enrollment, event
// ids de-duplicated in the workflow).
import { backfillNewSchedules, fireDue, scheduleSignature } from '../audience/date-schedule.js';
import { calendarSignature, fireDueCalendars, planNewCalendars } from '../audience/calendar.js';
import type { DateSchedule } from '../plugin/index.js';
import { expireDueAwards, scoreEvent } from '../audience/scoring.js';
import { recheckDue, refreshForEvent } from '../audience/segments/membership.js';
import { noteSegmentSizes } from '../audience/segments/sizes.js';
import { predictiveOnEvent, retrainIfDue } from '../audience/predictive.js';
import { recheckDueRfm, rfmOnEvent } from '../audience/rfm.js';
import { historyHolds } from './history.js';
import crypto from 'node:crypto';
import type pg from 'pg';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { Db } from '../storage/db.js';
import type { Metrics } from '../ops/metrics.js';
import { transaction } from '../storage/db.js';
import { livePrograms, getVersion } from '../storage/programs.js';
import { getContact } from '../storage/contacts.js';
import { toEvent, type EventRow } from '../storage/events.js';
import { evaluate, readPath } from '../plugin/conditions.js';
import { migratedConfig } from '../flow/validate.js';
import { eventSignal, firstSteps, workflowIdOf } from '../temporal/workflows.js';
import { runStarter } from '../temporal/client.js';
import type { Registry } from '../plugin/registry.js';
import type { FlowDocument } from '../flow/document.js';
import type { TriggerSpec } from '../plugin/index.js';
import { addDuration } from '../plugin/duration.js';
import type { EnrollmentInput } from '../temporal/workflows.js';
import { goalNodes } from '../run/goals.js';
import { dropKeptForEndedRuns, handOverRun, keepForRun } from '../storage/runs.js';
// Attribution holdout (issue #18): decided and recorded at entry, see enroll().
import { isHeldOut } from './holdout.js';
import { recordHeldOut } from '../storage/attribution.js';

interface TriggerEntry {
  programId: string;
  version: number;
  nodeId: string;
  /** The trigger plugin is quick: the workflow runs it as a local activity. */
  quick: boolean;
  spec: TriggerSpec;
  doc: FlowDocument;
  /** The program's goal nodes that read only events, for the workflow to check as events arrive. */
  goals: EnrollmentInput['goals'];
}

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

const { TaskQueueKind, TaskQueueType } = proto.temporal.api.enums.v1;

/** How long a reading of the workers' backlog is trusted (Temporal refreshes it every few seconds itself). */
const BACKLOG_READ_EVERY_MS = 1000;

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

/** A run's workflow is not there yet (its first step is being taken in a shared workflow): the event is signalled again shortly. */
class RunNotStartedYet extends Error {}

/** Signals to a run still in its first step are tried again this often, for at most this many tries. */
const NOT_STARTED_RETRY_SECONDS = 0.5;
const NOT_STARTED_TRIES = 120;

export { workflowIdOf } from '../temporal/workflows.js';

export function createDispatcher(opts: DispatcherOptions) {
  const { db, client, registry } = opts;
  const compiled = new Map<string, TriggerEntry[]>();
  let running = false;
  let again = false;
  let stopped = false;
  /** The decay sweep in flight, awaited on stop. */
  let sweeping: Promise<unknown> | undefined;
  /** Date schedules this process has made sure are backfilled. */
  const knownSchedules = new Set<string>();
  /** Calendar schedules this process has made sure are planned. */
  const knownCalendars = new Set<string>();
  let listener: pg.PoolClient | undefined;
  let relistening: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let backlog = { readAt: 0, tasks: 0, failing: false };

  /**
   * Whether the workers are behind. Starting runs faster than workers take them only
   * queues them inside Temporal, where a deep queue costs the server more per run; the
   * events wait just as well (durably, in order) in the outbox. Fails open: a server
   * that cannot tell its backlog does not stop dispatch.
   */
  async function workersBehind(): Promise<boolean> {
    const limit = opts.backlogLimit ?? 0;
    if (limit <= 0) return false;
    if (Date.now() - backlog.readAt >= BACKLOG_READ_EVERY_MS) {
      try {
        const res = await client.workflowService.describeTaskQueue({
          namespace: client.options.namespace,
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
    return backlog.tasks > limit;
  }

  async function triggers(): Promise<TriggerEntry[]> {
    const out: TriggerEntry[] = [];
    for (const p of await livePrograms(db)) {
      const key = `${p.id}@${p.version}`;
      let entries = compiled.get(key);
      if (!entries) {
        const doc = await getVersion(db, p.id, p.version);
        entries = [];
        const config = new Map<string, NonNullable<ReturnType<typeof migratedConfig>>>();
        for (const node of doc?.nodes ?? []) {
          const m = migratedConfig(registry, node);
          if (m) config.set(node.id, m);
        }
        const goals = goalNodes(config).filter((g) => g.onEvents).map(({ nodeId, when, quick }) => ({ nodeId, when, quick }));
        for (const [nodeId, m] of config) {
          if (m.plugin.category === 'trigger' && m.plugin.trigger) entries.push({ programId: p.id, version: p.version, nodeId, quick: m.plugin.quick === true, spec: m.plugin.trigger(m.config as never), doc: doc!, goals: goals.length ? goals : undefined });
        }
        compiled.set(key, entries);
      }
      out.push(...entries);
    }
    return out;
  }

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
    // (A held-out entry has no workflow to make sure of: the re-entry rules find it, and the holdout decides the same again.)
    const { rows: [found] } = await db.query<{ mine: string | null; status: string | null; entered_at: Date | null }>(
      `SELECT (SELECT id FROM enrollments WHERE program_id = $1 AND trigger_event_id = $2 AND key = $3 AND status <> 'held_out') AS mine, l.status, l.entered_at
       FROM (SELECT 1) one LEFT JOIN LATERAL (
         SELECT status, entered_at FROM enrollments WHERE program_id = $1 AND contact_id = $4 AND key = $3 ORDER BY entered_at DESC LIMIT 1
       ) l ON true`,
      [t.programId, row.id, key, row.contact_id],
    );
    const enrollmentId = await (async (): Promise<string | undefined> => {
      if (found?.mine) return found.mine; // a retried dispatch: make sure its workflow runs
      const last = found?.status ? { status: found.status, entered_at: found.entered_at! } : undefined;
      if (last?.status === 'active') return undefined;
      if (last && reentry === 'never') return undefined;
      if (last && reentry === 'afterPeriod' && settings.reentryAfter && addDuration(last.entered_at, settings.reentryAfter) > new Date()) return undefined;
      // Attribution holdout (engine/dispatch/holdout.ts): a held-out entrant is recorded as such and gets nothing — no workflow starts.
      if (isHeldOut(t.programId, row.contact_id, settings.holdoutPercent)) return void (await recordHeldOut(db, { programId: t.programId, version: t.version, contactId: row.contact_id, key, triggerEventId: row.id, triggerNode: t.nodeId }));
      const inserted = await db.query<{ id: string }>(
        // Without first steps the run gets its workflow at once, and is marked as having it.
        `INSERT INTO enrollments (program_id, version, contact_id, key, trigger_event_id, trigger_node, runner) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT DO NOTHING RETURNING id`,
        [t.programId, t.version, row.contact_id, key, row.id, t.nodeId, opts.firstSteps ? null : 'workflow'],
      );
      return inserted.rows[0]?.id;
    })();
    if (!enrollmentId) return undefined;
    const input: EnrollmentInput = { enrollmentId, node: t.nodeId, programId: t.programId, quick: t.quick, goal: settings.goal, goals: t.goals, exitOn: t.spec.exitOn ? { when: t.spec.exitOn, reason: t.spec.exitReason ?? 'exit event' } : undefined, activity: opts.activity, historyLimit: opts.historyLimit };
    if (opts.firstSteps) starts.push(input);
    else await startOwn(input);
    return enrollmentId;
  }

  const startOwn = runStarter(client, opts.taskQueue);

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
    await client.workflow.start(firstSteps, { workflowId: `first-steps-${crypto.randomUUID()}`, taskQueue: opts.taskQueue, args: [{ runs }] });
  }

  /** A run with no workflow yet may still be in its first step, or between it and its own workflow. */
  async function notStartedYet(enrollmentId: string): Promise<boolean> {
    const { rows } = await db.query(
      "SELECT 1 FROM enrollments WHERE id = $1 AND status = 'active' AND (runner IS DISTINCT FROM 'workflow' OR handed_over_at > now() - interval '1 minute')",
      [enrollmentId],
    );
    return rows.length > 0;
  }

  /** Time-driven work, each second: decayed points, segment windows that moved, and dates that came round (and hourly, segments' sizes). */
  async function sweep(): Promise<void> {
    await expireDueAwards(db);
    await dropKeptForEndedRuns(db);
    await noteSegmentSizes(db);
    if ((await recheckDue(db)) > 0) void kick();
    await recheckDueRfm(db);
    const schedules = (await triggers()).map((t) => t.spec.dateSchedule).filter((s): s is DateSchedule => s !== undefined && !knownSchedules.has(scheduleSignature(s)));
    if (schedules.length) {
      await backfillNewSchedules(db, schedules);
      for (const s of schedules) knownSchedules.add(scheduleSignature(s));
    }
    if ((await fireDue(db)) > 0) void kick();
    const calendars = (await triggers()).map((t) => t.spec.calendar).filter((c): c is NonNullable<TriggerSpec['calendar']> => c !== undefined && !knownCalendars.has(calendarSignature(c)));
    if (calendars.length) {
      await planNewCalendars(db, calendars);
      for (const c of calendars) knownCalendars.add(calendarSignature(c));
    }
    if ((await fireDueCalendars(db)) > 0) void kick();
    await retrainIfDue(db, (err) => opts.onError?.(err));
  }

  /** Each event's contact as it is now (an identity merge may have moved it since it was stored), in one query for a batch. */
  async function contactsNow(eventIds: string[]): Promise<Map<string, string>> {
    const { rows } = await db.query<{ id: string; contact_id: string }>('SELECT id, contact_id FROM events WHERE id = ANY($1)', [eventIds]);
    return new Map(rows.map((r) => [r.id, r.contact_id]));
  }

  /** Each contact's running enrollments, in one query for a batch (and, into `own`, those with a workflow of their own). */
  async function activeRuns(contactIds: string[], own?: Set<string>): Promise<Map<string, Set<string>>> {
    const runs = new Map(contactIds.map((id) => [id, new Set<string>()]));
    const { rows } = await db.query<{ id: string; contact_id: string; runner: string | null }>("SELECT id, contact_id, runner FROM enrollments WHERE contact_id = ANY($1) AND status = 'active'", [contactIds]);
    for (const r of rows) {
      runs.get(r.contact_id)!.add(r.id);
      if (r.runner === 'workflow') own?.add(r.id);
    }
    return runs;
  }

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
      let contact: Awaited<ReturnType<typeof getContact>> | null = null;
      const contactNow = async () => (contact ??= await getContact(db, row.contact_id));
      const event = toEvent(row);
      for (const t of matching) {
        if (t.spec.addressed && (row.properties as Record<string, unknown>).programId !== t.programId) continue;
        if (t.spec.where && !evaluate(t.spec.where, { contact: await contactNow(), event })) continue;
        if (t.spec.history && !(await historyHolds(db, t.spec.history, row, await contactNow()))) continue;
        const id = await enroll(t, row, batch.starts);
        if (id) started.add(id);
      }
    }
    // A merge may have brought the event to a contact this batch did not claim.
    const active = batch.active.get(row.contact_id) ?? (await activeRuns([row.contact_id])).get(row.contact_id)!;
    batch.active.set(row.contact_id, active);
    const payload = { id: row.id, type: row.type, properties: row.properties, occurredAt: row.occurred_at.toISOString() };
    await Promise.all(
      [...active]
        .filter((id) => !started.has(id))
        .map(async (id) => {
          // A run taking its first step in a shared workflow gets the event with its own workflow.
          if (opts.firstSteps && !batch.ownWorkflow.has(id) && (await keepForRun(db, id, payload))) return;
          try {
            await client.workflow.getHandle(workflowIdOf(id)).signal(eventSignal, payload);
          } catch (err) {
            if (!(err instanceof WorkflowNotFoundError)) throw err;
            // It ended meanwhile, or it was handed its own workflow an instant ago and that
            // is not started yet (then the event is signalled again shortly).
            if ((claimed.attempts ?? 0) < NOT_STARTED_TRIES && (await notStartedYet(id))) throw new RunNotStartedYet(`run ${id} has no workflow yet`);
          }
        }),
    );
    for (const id of started) active.add(id); // the contact's next events in this batch reach it
  }

  /** Dispatches everything in the outbox, oldest first. */
  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      if (await workersBehind()) return total; // the next tick looks again
      const batch = await transaction(db, async (tx) => {
        // `earlier`: how many of the contact's events before this one are still due. Rows
        // are claimed in order, but two dispatchers claiming at once take them turn about,
        // so some of a contact's earlier events may be in the other one's batch: a contact
        // goes as far as its events here follow each other, and waits there for its turn.
        // (Counted up to BATCH + 1.)
        const { rows } = await tx.query<EventRow & { outbox_id: number; attempts: number; earlier: number; queue_contact: string }>(
          `SELECT o.id AS outbox_id, o.attempts, o.contact_id AS queue_contact, e.*,
             (SELECT count(*) FROM (SELECT 1 FROM outbox p WHERE p.contact_id = o.contact_id AND p.id < o.id AND p.not_before <= now() LIMIT ${BATCH + 1}) p)::int AS earlier
           FROM outbox o JOIN events e ON e.id = o.event_id
           WHERE o.not_before <= now() ORDER BY o.id LIMIT ${BATCH} FOR UPDATE OF o SKIP LOCKED`,
        );
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
          ? { triggers: await triggers(), active: await activeRuns([...new Set(rows.map((r) => r.contact_id))], own), contactOf: await contactsNow(rows.map((r) => r.id)), starts: [], ownWorkflow: own }
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
        if (done.length) await tx.query('DELETE FROM outbox WHERE id = ANY($1)', [done]);
        for (const { row, err } of failed) {
          const notYet = err instanceof RunNotStartedYet;
          if (!notYet) opts.onError?.(err);
          const delay = notYet ? NOT_STARTED_RETRY_SECONDS : Math.min(60, 2 ** row.attempts);
          await tx.query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2, not_before = now() + make_interval(secs => $3) WHERE id = $1`, [row.outbox_id, String((err as Error).message ?? err), delay]);
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

  /**
   * Holds one connection that LISTENs for new outbox rows. When the database goes away
   * (a restart, a failover) the connection is dropped without ending the process, and
   * the next tick listens again; the tick's sweep dispatches whatever came meanwhile.
   */
  async function listen(): Promise<void> {
    const client = await db.connect();
    let released = false;
    const onLost = (err: Error) => {
      if (released) return;
      released = true;
      client.removeListener('error', onLost); // the pool's own listener takes over on release
      if (listener === client) listener = undefined;
      client.release(err);
      opts.onError?.(err);
    };
    client.on('error', onLost);
    client.on('notification', () => void kick());
    try {
      await client.query('LISTEN tend_outbox');
    } catch (err) {
      onLost(err as Error);
      throw err;
    }
    listener = client;
  }

  return {
    kick,
    drain,
    /** Listens for new outbox rows and sweeps every second for retries and missed notifications. */
    async start(): Promise<void> {
      await listen();
      timer = setInterval(() => {
        if (!listener && !relistening && !stopped) relistening = listen().catch((err) => opts.onError?.(err)).finally(() => (relistening = undefined));
        void kick();
        if (!stopped) sweeping ??= sweep().catch((err) => opts.onError?.(err)).finally(() => (sweeping = undefined));
      }, 1000);
      void kick();
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      await relistening;
      if (listener) {
        const client = listener;
        listener = undefined;
        await client.query('UNLISTEN tend_outbox').catch(() => undefined);
        client.removeAllListeners('notification');
        client.removeAllListeners('error'); // the pool adds its own back on release
        // Ctrl-C reaches PostgreSQL too: the lost connection may have released it already.
        try { client.release(); } catch { /* already released */ }
      }
      while (running) await new Promise((r) => setTimeout(r, 20));
      await sweeping;
    },
  };
}
