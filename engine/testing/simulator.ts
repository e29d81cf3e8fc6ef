// A dry run of a program: one hypothetical contact and a timeline of events, run
// through the real node plugins (by the harness, in memory: nothing is sent) on a
// virtual clock — a sleep jumps to its wake-up time, a wait for an event to the first
// matching event of the timeline or to its timeout. What an event means for the run
// (its goal, an exit event, a removal, a goal node to jump to) and how a wait for an
// event ends are decided by engine/run/interpreter.ts, as in the Temporal workflow.
import type { Registry } from '../plugin/registry.js';
import type { FlowDocument } from '../flow/document.js';
import { validateFlow, migratedConfig } from '../flow/validate.js';
import { evaluate, readPath, type Condition } from '../plugin/conditions.js';
import { afterWaitForEvent, leaveReason, meaningOf, staying, type Leaving, type Watch } from '../run/interpreter.js';
import { goalNodes } from '../run/goals.js';
import type { Directive, NodePlugin, TendEvent } from '../plugin/index.js';
import { createMemoryWorld, emptyEffects, type HttpHandler, type RecordedEffects } from './memory-world.js';
import { makeContact, rendererFor, runVisit, type LogLine } from './harness.js';
import type { Contact } from '../plugin/index.js';

export interface SimulationInput {
  doc: FlowDocument;
  registry: Registry;
  contact: Partial<Contact>;
  /** The timeline; an event without `occurredAt` happens when the one before it did (the first: at `start`). */
  events: Partial<TendEvent>[];
  start?: Date;
  secrets?: Record<string, string>;
  /** Partials and layouts for email templates (TEND_TEMPLATES_DIR where Tend runs). */
  templatesDir?: string;
  /** Answers HTTP effects (default: 200 with an empty JSON object); nothing leaves the process. */
  http?: HttpHandler;
  maxSteps?: number;
}

export interface SimulatedStep {
  at: string;
  node: string;
  type: string;
  title: string;
  visit: number;
  directive: Directive | { kind: 'failed'; error: string };
  /** The port the contact left by, once known (after a wait: the event or timeout port). */
  port: string | null;
  /** For waits: when the contact moved on, and the event that moved it. */
  wokeAt?: string;
  wokeBy?: TendEvent;
  effects: RecordedEffects;
  logs: LogLine[];
}

export type Outcome = 'completed' | 'exited' | 'goal reached' | 'failed' | 'not entered' | 'step limit';

export interface SimulationResult {
  program: string;
  contact: Contact;
  entered?: { node: string; event: TendEvent };
  steps: SimulatedStep[];
  path: string[];
  outcome: Outcome;
  reason?: string;
  endedAt?: string;
}

function timeline(events: Partial<TendEvent>[], start: Date): TendEvent[] {
  let last = start.toISOString();
  const out = events.map((e, i) => {
    const occurredAt = e.occurredAt ? new Date(e.occurredAt).toISOString() : last;
    if (Number.isNaN(Date.parse(occurredAt))) throw new Error(`event ${i + 1}: occurredAt "${e.occurredAt}" is not a date`);
    if (!e.type) throw new Error(`event ${i + 1}: it has no type`);
    last = occurredAt;
    return { id: e.id ?? `event-${i + 1}`, type: e.type, properties: e.properties ?? {}, occurredAt };
  });
  // Stable: events at the same instant keep the file's order.
  return out.map((e, i) => ({ e, i })).sort((a, b) => Date.parse(a.e.occurredAt) - Date.parse(b.e.occurredAt) || a.i - b.i).map((x) => x.e);
}

const diff = (before: RecordedEffects, after: RecordedEffects): RecordedEffects =>
  Object.fromEntries(Object.entries(after).map(([k, list]) => [k, (list as unknown[]).slice((before[k as keyof RecordedEffects] as unknown[]).length)])) as unknown as RecordedEffects;

export async function simulate(input: SimulationInput): Promise<SimulationResult> {
  const problems = validateFlow(input.doc, input.registry);
  if (problems.length) throw new Error(`the program has problems:\n${problems.map((p) => `  ${p.path} ${p.message}`).join('\n')}`);
  const { doc, registry } = input;
  const compiled = new Map(doc.nodes.map((n) => [n.id, { node: n, ...migratedConfig(registry, n)! }]));
  const target = (node: string, port: string) => doc.edges.find((e) => e.source === node && e.sourcePort === port)?.target ?? null;
  const world = createMemoryWorld(makeContact(input.contact), { http: input.http ?? (() => ({ status: 200, headers: {}, body: '{}' })) });
  const events = timeline(input.events, input.start ?? new Date());
  const goal = doc.settings?.goal as Condition | undefined;
  const result: SimulationResult = { program: doc.name, contact: world.contact, steps: [], path: [], outcome: 'not entered' };

  // Entry: the first event of the timeline that a trigger of the program matches, as the dispatcher decides.
  let entry: { node: string; index: number } | undefined;
  for (const [index, event] of events.entries()) {
    for (const c of compiled.values()) {
      if (c.plugin.category !== 'trigger' || !c.plugin.trigger) continue;
      const spec = c.plugin.trigger(c.config as never);
      // A date trigger's signature is Tend's bookkeeping: any tend.date_reached in the timeline enters.
      const where = spec.dateSchedule ? undefined : spec.where;
      if (spec.eventType === event.type && (!where || evaluate(where, { contact: world.contact, event }))) {
        entry = { node: c.node.id, index };
        break;
      }
    }
    if (entry) break;
  }
  if (!entry) return result;
  const trigger = events[entry.index]!;
  result.entered = { node: entry.node, event: trigger };
  const keyPath = (compiled.get(entry.node)!.config as { correlationKey?: string }).correlationKey ?? doc.settings?.correlationKey;
  const key = keyPath ? String(readPath(trigger, keyPath) ?? '') : '';
  const enrollment = { id: 'simulated-run', key, keyPath, enteredAt: trigger.occurredAt };
  const program = { id: 'simulated-program', version: 1, name: doc.name };
  // What the run watches every event for, as the dispatcher sets it at entry.
  const triggerSpec = compiled.get(entry.node)!.plugin.trigger!(compiled.get(entry.node)!.config as never);
  const watch: Watch = {
    goal,
    exitOn: triggerSpec.exitOn ? { when: triggerSpec.exitOn, reason: triggerSpec.exitReason ?? 'exit event' } : undefined,
    programId: program.id,
    goals: goalNodes(new Map([...compiled].map(([id, c]) => [id, { plugin: c.plugin as NodePlugin, config: c.config }]))).filter((g) => g.onEvents),
  };
  const later = events.slice(entry.index + 1); // the workflow is signalled every event after the one that started it
  let inbox: TendEvent[] = []; // heard and not used up by a wait for an event
  let heard = 0;
  let leaving: Leaving = { goalReached: false };
  let jumpTo: string | undefined;
  let jumped = false;
  let clock = new Date(trigger.occurredAt);
  let received: TendEvent | null = null;
  const visits = new Map<string, number>();
  /** When the run came to the current node, kept while `again` repeats it. */
  let arrivedAt: string | undefined;
  let node: string | null = entry.node;
  const end = (outcome: Outcome, reason?: string) => {
    result.outcome = outcome;
    result.reason = reason;
    result.endedAt = clock.toISOString();
    result.contact = world.contact;
    return result;
  };
  const leave = () => (leaving.goalReached ? end('goal reached') : end('exited', leaveReason(leaving).reason));
  /**
   * The events that arrive up to `until`, one by one as the workflow is signalled them:
   * each one's meaning is taken; hearing stops at the first that makes the run leave or
   * jump, or that `wakes` it. Returns that event (the clock moved to it), if any.
   */
  const hear = (until: number, wakes: (e: TendEvent) => boolean = () => false): TendEvent | undefined => {
    while (heard < later.length && Date.parse(later[heard]!.occurredAt) <= until) {
      const e = later[heard++]!;
      const meant = meaningOf(watch, e, { node, leaving, jumpTaken: jumped, jumpPending: jumpTo !== undefined });
      leaving = meant.leaving;
      if (meant.jumpTo) jumpTo = meant.jumpTo.nodeId;
      inbox.push(e);
      if (!staying(leaving) || jumpTo !== undefined || wakes(e)) {
        clock = new Date(Math.max(clock.getTime(), Date.parse(e.occurredAt)));
        return e;
      }
    }
    return undefined;
  };
  const takeJump = () => { const to = jumpTo!; jumpTo = undefined; jumped = true; return to; };

  while (node) {
    hear(clock.getTime());
    if (!staying(leaving)) return leave();
    if (jumpTo !== undefined) { node = takeJump(); continue; }
    if (result.steps.length >= (input.maxSteps ?? 1000)) return end('step limit', `stopped after ${result.steps.length} steps`);
    if (goal && evaluate(goal, { contact: world.contact })) return end('goal reached');
    const c = compiled.get(node)!;
    const visit = (visits.get(node) ?? 0) + 1;
    visits.set(node, visit);
    const before = structuredClone(world.effects);
    const logs: LogLine[] = [];
    const step: SimulatedStep = { at: clock.toISOString(), node, type: c.node.type, title: c.plugin.title, visit, directive: { kind: 'exit' }, port: null, effects: emptyEffects(), logs };
    result.steps.push(step);
    result.path.push(node);
    let d: Directive;
    try {
      d = await runVisit({
        plugin: c.plugin as NodePlugin, config: c.config, world, event: trigger, received, now: clock, program, enrollment,
        node: { id: node, visit, label: c.node.label, arrivedAt: (arrivedAt ??= clock.toISOString()) }, attempt: 1, secrets: input.secrets ?? {}, render: rendererFor(input.templatesDir), logs,
        history: events.filter((e) => Date.parse(e.occurredAt) <= clock.getTime()),
      });
    } catch (err) {
      // As after the last retry in Tend: the error port when the node has one connected, else the run fails.
      step.directive = { kind: 'failed', error: (err as Error).message };
      step.effects = diff(before, world.effects);
      const errorTarget = target(node, 'error');
      if (!errorTarget) return end('failed', `${node}: ${(err as Error).message}`);
      step.port = 'error';
      node = errorTarget;
      continue;
    }
    step.directive = d;
    step.effects = diff(before, world.effects);
    if (d.kind !== 'again') arrivedAt = undefined;
    if (d.kind === 'exit') return end('exited', d.reason);
    if (d.kind === 'next') {
      step.port = d.port;
      node = target(node, d.port);
      continue;
    }
    const until = Math.max(clock.getTime(), Date.parse(d.until));
    if (d.kind === 'again' || d.kind === 'sleep') {
      // `again` with orOnEvent is re-checked on the next event that comes before `until`.
      const from = clock.getTime();
      const woke = hear(until, (e) => d.kind === 'again' && d.orOnEvent === true && Date.parse(e.occurredAt) > from);
      if (!woke) clock = new Date(until);
      step.wokeAt = clock.toISOString();
      if (woke) step.wokeBy = woke;
      if (!staying(leaving)) return leave();
      if (jumpTo !== undefined) { node = takeJump(); arrivedAt = undefined; continue; }
      if (d.kind === 'sleep') { step.port = d.port; node = target(node, d.port); }
      continue;
    }
    // waitForEvent: an event heard already and not used up counts, as the workflow's buffered signals do.
    const matchedBefore = afterWaitForEvent(d, inbox).received !== undefined;
    const woke = matchedBefore ? undefined : hear(until, (e) => afterWaitForEvent(d, [e]).received !== undefined);
    if (!matchedBefore && !woke) clock = new Date(until);
    const ended = afterWaitForEvent(d, inbox);
    inbox = inbox.slice(ended.usedUp);
    if (ended.received) { received = ended.received as TendEvent; step.wokeBy = received; }
    step.wokeAt = clock.toISOString();
    if (!staying(leaving)) return leave();
    if (jumpTo !== undefined) { node = takeJump(); continue; }
    step.port = ended.port;
    node = target(step.node, step.port);
  }
  if (!staying(leaving)) return leave();
  return end('completed');
}
