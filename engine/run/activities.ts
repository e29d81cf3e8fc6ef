// The activities behind the enrollment workflow: run one node (load what it needs,
// call the plugin, record the visit) and finish a run. Built by a factory that is
// handed its dependencies, so tests pass real ones in.
import { portsUsedBy } from './interpreter.js';
import type { SignalledEvent } from '../plugin/match.js';
import crypto from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../storage/db.js';
import { getContact, getContacts } from '../storage/contacts.js';
import { getEvent, getEvents } from '../storage/events.js';
import { handOverRun } from '../storage/runs.js';
import { claimForBatch, endRun, enterNode, failUnsettledMessages, recordStep, type EnrollmentRow, type VisitRecord } from '../storage/visits.js';
import { getVersion } from '../storage/programs.js';
import type { Registry } from '../plugin/registry.js';
import type { FlowDocument, FlowNode } from '../flow/document.js';
import { migratedConfig } from '../flow/validate.js';
import { evaluateMeasured, type Fact } from '../plugin/conditions.js';
import { goalNodes, type GoalNode } from './goals.js';
import { measureFact } from '../audience/segments/facts.js';
import { experimentState } from './experiments.js';
import { bestSendHour, zoneOf } from '../audience/send-time.js';
import { takePlace } from '../delivery/pacing.js';
import { fetchJson } from '../delivery/connected-content.js';
import { createOutbound } from '../delivery/outbound.js';
import { durationMs } from '../plugin/duration.js';
import { readPolicy } from '../delivery/channel-policy.js';
import { NotRetryableError, RetryAfterError, type Contact, type Directive, type Logger, type NodePlugin, type TendEvent } from '../plugin/index.js';
import { createEffects, type EffectDeps, type VisitTracker } from '../delivery/effects.js';
import type { Renderer } from '../delivery/templates.js';
import { portsOf } from '../flow/ports.js';
import type { Log } from '../ops/log.js';
import type { Metrics } from '../ops/metrics.js';
import type { EnrollmentInput, FinishInput, FirstStepsActivityInput, Left, RunNodeInput, RunStepInput, Step, StepResult } from './types.js';
export type { EnrollmentInput, FinishInput, FirstStepsActivityInput, Left, RunNodeInput, RunStepInput, Step, StepResult } from './types.js';

/** A step runs at most this many nodes before the workflow gets a word in (a safety bound: validation refuses loops without a wait). */
const MAX_NODES_PER_STEP = 50;

/** Without a configured outbound: the guard with no private target allowed. */
const guardOnly = createOutbound();
export interface ActivityDeps extends EffectDeps {
  registry: Registry;
  render: Renderer;
  secrets?: Record<string, string>;
  /** Plugin errors other than NotRetryableError are retried this many times, then the node fails. */
  maxNodeAttempts?: number;
  log?: (line: string) => void;
  /** Tend's JSON-lines logger: plugin log lines and node failures go here (beside `log`). */
  logger?: Log;
  /** Counts attempts that failed (before Temporal retries them). */
  metrics?: Metrics;
  /**
   * Starts a run's own `enrollment` workflow (the workflow id is the run's, so starting
   * one that exists already does nothing). Needed by the first-steps workflow's activity.
   */
  startRun?: (input: EnrollmentInput) => Promise<void>;
}

/** Runs of a first-steps batch taking their step side by side (each holds a pooled connection at a time). */
const FIRST_STEPS_LANES = 8;
/** A batch takes first steps for this long; the runs left then are handed to their own workflows untaken (the activity's limit is 10 minutes). */
const FIRST_STEPS_TAKE_MS = 60_000;

interface CompiledProgram {
  doc: FlowDocument;
  nodes: Map<string, FlowNode>;
  targets: Map<string, string>;
  config: Map<string, { plugin: NodePlugin; config: unknown }>;
  goals: GoalNode[];
}

export function createActivities(deps: ActivityDeps) {
  const { db, registry } = deps;
  const programs = new Map<string, CompiledProgram>(); // versions are immutable: cache forever
  const events = new Map<string, TendEvent>();
  const maxAttempts = deps.maxNodeAttempts ?? 10;

  async function program(programId: string, version: number): Promise<CompiledProgram> {
    const cacheKey = `${programId}@${version}`;
    let p = programs.get(cacheKey);
    if (!p) {
      const doc = await getVersion(db, programId, version);
      if (!doc) throw new NotRetryableError(`program ${programId} has no version ${version}`);
      const config = new Map<string, { plugin: NodePlugin; config: unknown }>();
      for (const n of doc.nodes) {
        const m = migratedConfig(registry, n);
        if (m) config.set(n.id, m);
      }
      p = {
        doc,
        nodes: new Map(doc.nodes.map((n) => [n.id, n])),
        targets: new Map(doc.edges.map((e) => [`${e.source}\u0000${e.sourcePort}`, e.target])),
        config,
        goals: goalNodes(config),
      };
      programs.set(cacheKey, p);
    }
    return p;
  }

  function remember(e: TendEvent): void {
    if (events.size > 10000) events.clear();
    events.set(e.id, e);
  }

  async function triggerEvent(id: string | null): Promise<TendEvent | null> {
    if (!id) return null;
    let e = events.get(id);
    if (!e) {
      e = await getEvent(db, id);
      if (!e) return null;
      remember(e);
    }
    return e;
  }

  /**
   * One statement (so one round trip, atomic without BEGIN/COMMIT): reads the
   * enrollment, closes the visit the contact is leaving after a wait, opens this one
   * and moves the enrollment's pointer — the latter only while it is active.
   */
  async function enter(input: RunNodeInput): Promise<EnrollmentRow> {
    const row = await enterNode(db, input);
    if (!row) throw new NotRetryableError(`enrollment ${input.enrollmentId} does not exist`);
    return row;
  }

  function logger(fields: Record<string, unknown>): Logger {
    const json = deps.logger?.child(fields);
    const write = (level: 'info' | 'warn' | 'error') => (message: string, extra?: Record<string, unknown>) => {
      json?.[level](message, extra);
      deps.log?.(JSON.stringify({ level, message, ...fields, ...extra }));
    };
    return { info: write('info'), warn: write('warn'), error: write('error') };
  }

  /**
   * What a step carries from one node to the next: the run as its first node read it,
   * the contact (unless a node changed it), and the visits so far, written together
   * when the step ends (`recordStep`): one statement for a step rather than several per node.
   */
  interface Carried {
    /** The run, read by the step's first node (or by the batch that claimed it). */
    enrollment?: EnrollmentRow;
    contact?: Contact;
    /** Set by runNode: the contact as the next node may read it (absent when this node changed it). */
    contactAfter?: Contact;
    visits: VisitRecord[];
    /** The step ended the run: written with the visits. */
    end?: { status: 'completed' | 'exited' | 'failed'; reason?: string };
  }

  /** Writes what a step did (its visits, where the run is, its end) in one statement, and forgets it. */
  async function record(enrollmentId: string, carried: Carried): Promise<void> {
    if (!carried.visits.length && !carried.end) return;
    const at = carried.visits.at(-1)?.nodeId;
    await recordStep(db, { enrollmentId, visits: carried.visits, at, end: carried.end });
    carried.visits = [];
    carried.end = undefined;
  }

  /** One node (the `runNode` activity): its visit is written before it answers. */
  async function runNode(input: RunNodeInput): Promise<Step> {
    const carried: Carried = { visits: [] };
    return recorded(input.enrollmentId, carried, () => visitNode(input, carried));
  }

  /**
   * Runs `work`, then writes what it did. Also when it throws (a node to retry): the
   * visits so far show where the run is; the node's own error is the one reported.
   */
  async function recorded<T>(enrollmentId: string, carried: Carried, work: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await work();
    } catch (err) {
      await record(enrollmentId, carried).catch(() => undefined);
      throw err;
    }
    await record(enrollmentId, carried);
    return result;
  }

  /**
   * Runs one node of a step. Its visit goes into `carried.visits` (the step's first node
   * opens its own at once, through `enter`, so the run shows where it is while the step
   * runs); the caller writes them.
   */
  async function visitNode(input: RunNodeInput, carried: Carried): Promise<Step> {
    const info = Context.current().info;
    const attempt = info.attempt;
    // Local activities (quick nodes) have no heartbeats: their timeout is short instead.
    const heartbeat = info.isLocal ? undefined : setInterval(() => Context.current().heartbeat(), 2000);
    try {
      const enrollment = carried.enrollment ?? await enter(input);
      carried.enrollment = enrollment;
      if (enrollment.status !== 'active') return { ended: true, outcome: enrollment.status === 'failed' ? 'failed' : 'exited' };
      const visit: VisitRecord = { nodeId: input.nodeId, visit: input.visit, status: 'active', enteredAt: new Date() };
      carried.visits.push(visit);
      const leave = (status: VisitRecord['status'], port: string | null, error?: string) => Object.assign(visit, { status, port, leftAt: new Date(), ...(error !== undefined ? { error } : {}) });
      const prog = await program(enrollment.program_id, enrollment.version);
      const node = prog.nodes.get(input.nodeId);
      const compiled = prog.config.get(input.nodeId);
      if (!node || !compiled) throw new NotRetryableError(`node ${input.nodeId} of program ${enrollment.program_id} v${enrollment.version} cannot run (unknown node or plugin)`);

      const contact = carried.contact ?? await getContact(db, enrollment.contact_id);
      if (!contact) throw new NotRetryableError(`contact ${enrollment.contact_id} no longer exists`);
      const goal = prog.doc.settings?.goal;
      const measure = (fact: Fact) => measureFact(db, contact.id, fact);
      if (goal && (await evaluateMeasured(goal, { contact }, measure))) {
        leave('completed', null);
        carried.end = { status: 'exited', reason: 'goal reached' };
        return { ended: true, outcome: 'exited' };
      }
      if (!input.goalReached) {
        for (const g of prog.goals) {
          if (g.nodeId !== input.nodeId && !g.onEvents && (await evaluateMeasured(g.when, { contact }, measure))) return { ended: false, jump: g.nodeId, quick: g.quick };
        }
      }
      const event = await triggerEvent(enrollment.trigger_event_id);
      const triggerNode = prog.config.get(enrollment.trigger_node);
      const keyPath = (triggerNode?.config as { correlationKey?: string } | undefined)?.correlationKey ?? prog.doc.settings?.correlationKey;
      const idempotencyKey = `${enrollment.id}:${input.nodeId}:${input.visit}`;
      const unsubscribeUrl = deps.unsubscribeUrl(contact.id);
      const programInfo = { id: enrollment.program_id, version: enrollment.version, name: prog.doc.name };
      const received = input.received ? { id: input.received.id, type: input.received.type, properties: input.received.properties, occurredAt: input.received.occurredAt } : null;
      const scope = { contact, event, received, program: programInfo, unsubscribeUrl };
      const log = logger({ enrollment: enrollment.id, node: input.nodeId, visit: input.visit });

      // Messages this visit claimed and has no final answer for yet (closed below if the node goes on without one).
      const tracker: VisitTracker = { unsettled: new Set<string>(), contactChanged: false, contact };
      const unsettled = tracker.unsettled;
      /** Every way a send ends records a final status: a node that gives up (or leaves by its error port) closes its open messages as failed, with the last reason seen. */
      const closeUnsettled = async (fallback: string): Promise<string | undefined> => {
        if (!unsettled.size) return undefined;
        return (await failUnsettledMessages(db, [...unsettled], fallback)).join('; ') || undefined;
      };
      let directive: Directive;
      try {
        directive = await compiled.plugin.run({
          config: compiled.config as never,
          contact,
          event,
          received,
          program: programInfo,
          enrollment: { id: enrollment.id, key: enrollment.key, keyPath, enteredAt: enrollment.entered_at.toISOString() },
          node: { id: input.nodeId, visit: input.visit, label: node.label, arrivedAt: input.arrivedAt ?? new Date().toISOString() },
          attempt,
          idempotencyKey,
          now: new Date(),
          secrets: deps.secrets ?? {},
          log,
          effects: createEffects(deps, { key: idempotencyKey, contactId: contact.id, enrollmentId: enrollment.id, programId: enrollment.program_id, nodeId: input.nodeId }, tracker),
          render: (template, extra, options) => {
            try {
              return deps.render(template, { ...scope, ...extra }, options);
            } catch (err) {
              // A template that cannot render will not render on a retry either.
              throw new NotRetryableError(`template error: ${(err as Error).message.split('\n')[0]}`, { cause: err });
            }
          },
          sticky: (salt) => crypto.createHash('sha256').update(`${contact.id}:${enrollment.program_id}:${salt}`).digest().readUInt32BE(0) / 2 ** 32,
          measure,
          experiment: (query) => experimentState(db, { ...query, programId: enrollment.program_id, nodeId: input.nodeId }),
          fetchJson: (url, opts) => fetchJson(deps.outbound ?? guardOnly, url, { ttlMs: opts?.ttl ? durationMs(opts.ttl) : 0, timeoutMs: opts?.timeoutMs }),
          // One queue per program node, across versions: a republish keeps the pace.
          takePlace: (everyMs) => takePlace(db, `${enrollment.program_id}:${input.nodeId}`, everyMs, idempotencyKey),
          bestSendHour: async () => {
            const zone = zoneOf(contact.timezone, (await readPolicy(db)).defaultTimezone);
            return { ...(await bestSendHour(db, contact, zone)), zone };
          },
        });
        const declared = portsOf(compiled.plugin, compiled.config).map((p) => p.name);
        const undeclared = portsUsedBy(directive).find((p) => !declared.includes(p));
        if (undeclared) throw new NotRetryableError(`plugin ${compiled.plugin.id} returned port "${undeclared}", which it does not declare`);
      } catch (err) {
        if (err instanceof RetryAfterError && attempt < maxAttempts + 1) {
          log.warn('node will retry', { error: err.message, attempt });
          throw ApplicationFailure.create({ message: err.message, nextRetryDelay: err.delayMs, cause: err });
        }
        const permanent = err instanceof NotRetryableError || err instanceof RetryAfterError || attempt >= maxAttempts;
        deps.metrics?.inc('tend_activity_failures_total', 'Node attempts that threw (retried, or failed for good).', { node: compiled.plugin.id, final: String(permanent) });
        if (!permanent) {
          log.warn('node attempt failed, will retry', { error: (err as Error).message ?? String(err), attempt });
          throw err;
        }
        const message = (err as Error).message ?? String(err);
        log.error('node failed', { error: message, attempt });
        await closeUnsettled(message);
        // A node with an error port sends the contact on by it; otherwise the run fails.
        const errorTarget = prog.targets.get(`${input.nodeId}\u0000error`);
        if (errorTarget && portsOf(compiled.plugin, compiled.config).some((p) => p.name === 'error')) {
          leave('completed', 'error', message);
          return { ended: false, directive: { kind: 'next', port: 'error' }, targets: { error: errorTarget } };
        }
        leave('failed', null, message);
        carried.end = { status: 'failed', reason: message };
        return { ended: true, outcome: 'failed' };
      }

      // The node went on while a message of its visit has no final answer (it gave up on a
      // failing webhook, say): that message failed, and the visit says why.
      const gaveUp = await closeUnsettled(`the node went on by "${directive.kind === 'next' ? directive.port : directive.kind}" without a final answer`);
      if (gaveUp) {
        log.warn('a message of this visit ended without a final answer', { reason: gaveUp });
        visit.error = gaveUp;
      }
      const target = (port: string) => prog.targets.get(`${input.nodeId}\u0000${port}`) ?? null;
      const quickOf = (...ids: (string | null)[]) => ids.filter((id): id is string => id !== null && prog.config.get(id)?.plugin.quick === true);
      if (directive.kind === 'exit') {
        leave('completed', null);
        carried.end = { status: 'exited', reason: directive.reason };
        return { ended: true, outcome: 'exited' };
      }
      if (directive.kind === 'next') {
        const next = target(directive.port);
        leave('completed', directive.port);
        if (!next) {
          carried.end = { status: 'completed' };
          return { ended: true, outcome: 'completed' };
        }
        carried.contactAfter = tracker.contactChanged ? tracker.contact : contact;
        return { ended: false, directive, targets: { [directive.port]: next }, quick: quickOf(next) };
      }
      const until = new Date(directive.until);
      Object.assign(visit, { status: 'waiting', wakeAt: until });
      const delayMs = Math.max(0, until.getTime() - Date.now());
      if (directive.kind === 'again') return { ended: false, directive, delayMs, targets: {} };
      if (directive.kind === 'sleep') return { ended: false, directive, delayMs, targets: { [directive.port]: target(directive.port) }, quick: quickOf(target(directive.port)) };
      const targets = { [directive.eventPort]: target(directive.eventPort), [directive.timeoutPort]: target(directive.timeoutPort) };
      return { ended: false, directive, delayMs, targets, quick: quickOf(...Object.values(targets)) };
    } finally {
      if (heartbeat) clearInterval(heartbeat);
    }
  }

  /**
   * Runs the run's nodes from `nodeId` on, one after the other, for as long as each
   * sends the contact straight on (`next`): the whole way to the run's end, or to the
   * first node that waits, jumps to a goal or exits. One activity call instead of one
   * per node, so a run without a wait costs the Temporal server one workflow task.
   * A retry runs the same nodes again with the same visit numbers: each node's effects
   * are keyed by (enrollment, node, visit) and happen once, as with single nodes.
   */
  async function runStep(input: RunStepInput): Promise<StepResult> {
    return takeStep(input);
  }

  /** runStep, with the contact when the caller has read it already (a first-steps batch reads its contacts at once). */
  async function takeStep(input: RunStepInput, first?: { contact?: Contact; enrollment?: EnrollmentRow }): Promise<StepResult> {
    const visits = { ...input.visits };
    const entered: { nodeId: string; visit: number }[] = [];
    let at: RunNodeInput = input;
    const carried: Carried = { enrollment: first?.enrollment, contact: first?.contact, visits: [] };
    return recorded(input.enrollmentId, carried, async () => {
      for (;;) {
        const step = await visitNode(at, carried);
        const here = { nodeId: at.nodeId, visit: at.visit };
        entered.push(here);
        if (step.ended || 'jump' in step || step.directive.kind !== 'next' || entered.length >= MAX_NODES_PER_STEP) return { ...step, entered, at: here };
        const next = step.targets[step.directive.port]!; // visitNode ends the run when a port leads nowhere
        visits[next] = (visits[next] ?? 0) + 1;
        at = { enrollmentId: input.enrollmentId, nodeId: next, visit: visits[next]!, received: input.received, goalReached: input.goalReached };
        carried.contact = carried.contactAfter;
        carried.contactAfter = undefined;
      }
    });
  }

  /** Closes the run after a wait (its goal, an exit event, the end of its path), in one statement. */
  async function finish(input: FinishInput): Promise<void> {
    await endRun(db, input);
  }

  /**
   * A run's own workflow from here on. Written before it is started, so a first-steps
   * activity run again after a crash starts this same workflow (a no-op when it exists)
   * instead of taking the step a second time.
   */
  async function handOver(input: EnrollmentInput, batchId: string): Promise<void> {
    if (!deps.startRun) throw new NotRetryableError('this worker cannot start runs (no Temporal client given to its activities)');
    const handover = await handOverRun(db, input, batchId);
    if (handover) await deps.startRun(withFreshDelay(handover));
  }

  /**
   * The first step of each new run of a batch (see the `firstSteps` workflow). Runs that
   * end here are done; a run that waits goes on in its own workflow from the step's
   * result; a run whose step failed gets its own workflow from its first node, where
   * Temporal retries it as it retries any step (its effects so far are keyed, and are
   * not repeated). Claims each run first, so a run is only ever taken by one batch.
   */
  async function runFirstSteps(input: FirstStepsActivityInput): Promise<{ finished: number; handedOver: number }> {
    const byId = new Map(input.runs.map((r) => [r.enrollmentId, r]));
    const rows = await claimForBatch(db, input.batchId, [...byId.keys()]);
    // What every first node reads, read for the whole batch at once: the contacts and the events that brought them.
    const contacts = await getContacts(db, [...new Set(rows.map((r) => r.contact_id))]);
    const triggerIds = rows.map((r) => r.trigger_event_id).filter((id): id is string => id !== null && !events.has(id));
    if (triggerIds.length) for (const e of await getEvents(db, triggerIds)) remember(e);
    let finished = 0;
    let handedOver = 0;
    let next = 0;
    const handOverFrom = Date.now() + FIRST_STEPS_TAKE_MS;
    const lane = async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        const run = byId.get(row.id)!;
        // Handed over before a crash (make sure that workflow runs: starting it again does
        // nothing), or the batch has run long (slow webhooks): the rest go to their own
        // workflows untaken, so the activity ends well within its time limit and is never
        // retried while its steps still run.
        if (row.runner === 'workflow' || Date.now() > handOverFrom) {
          await handOver(run, input.batchId);
          handedOver++;
          continue;
        }
        const arrivedAt = new Date().toISOString();
        let ran: StepResult;
        try {
          ran = await takeStep({ enrollmentId: run.enrollmentId, nodeId: run.node, visit: 1, visits: { [run.node]: 1 }, goalReached: false, arrivedAt }, { contact: contacts.get(row.contact_id), enrollment: row });
        } catch (err) {
          // A node to retry (a webhook answering 503, a mail server away): its own workflow retries the step.
          logger({ enrollment: run.enrollmentId }).warn('first step failed; the run goes on in its own workflow', { error: (err as Error).message ?? String(err) });
          await handOver(run, input.batchId);
          handedOver++;
          continue;
        }
        if (ran.ended) {
          finished++;
          continue;
        }
        await handOver({ ...run, arrivedAt, resume: ran }, input.batchId);
        handedOver++;
      }
    };
    // Every lane finishes before the activity answers, even when one failed: a retry must
    // not take a step that a lane of this attempt is still taking.
    const lanes = await Promise.allSettled(Array.from({ length: Math.min(FIRST_STEPS_LANES, rows.length) }, lane));
    const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
    if (failed) throw failed.reason;
    return { finished, handedOver };
  }

  return { runNode, runStep, finish, runFirstSteps };
}

/** A step that ended at a wait carries the wait's length as it was then: the run's own workflow waits what is left of it. */
function withFreshDelay(input: EnrollmentInput): EnrollmentInput {
  const step = input.resume;
  if (!step || step.ended || !('directive' in step)) return input;
  const d = step.directive;
  if (d.kind !== 'sleep' && d.kind !== 'waitForEvent' && d.kind !== 'again') return input;
  return { ...input, resume: { ...step, delayMs: Math.max(0, Date.parse(d.until) - Date.now()) } };
}

export type Activities = ReturnType<typeof createActivities>;
