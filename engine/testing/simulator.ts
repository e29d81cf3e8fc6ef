// A dry run of a program: one hypothetical contact and a timeline of events, run
// through the real node plugins (by the harness, in memory: nothing is sent) and a pure
// interpreter of their directives that mirrors engine/temporal/workflows.ts on a virtual
// clock — a sleep jumps to its wake-up time, a wait for an event jumps to the first
// matching event of the timeline or to its timeout.
import type { Registry } from '../plugin/registry.js';
import type { FlowDocument } from '../flow/document.js';
import { validateFlow, migratedConfig } from '../flow/validate.js';
import { evaluate, readPath, type Condition } from '../plugin/conditions.js';
import { matchesEvent } from '../plugin/match.js';
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
  let inbox = events.slice(entry.index + 1); // the workflow is signalled every event after the one that started it
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
  /** Events that arrive by `until`, in order; the first meeting the goal ends the run there. */
  const goalEventBy = (until: number) => (goal ? inbox.find((e) => Date.parse(e.occurredAt) <= until && evaluate(goal, { event: e })) : undefined);

  while (node) {
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
        node: { id: node, visit, label: c.node.label, arrivedAt: (arrivedAt ??= clock.toISOString()) }, attempt: 1, secrets: input.secrets ?? {}, render: rendererFor(process.env.TEND_TEMPLATES_DIR), logs,
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
      const met = goalEventBy(until);
      if (met) { clock = new Date(Math.max(clock.getTime(), Date.parse(met.occurredAt))); return end('goal reached'); }
      // A re-check on the next event: the first one after now, if it comes before `until`.
      const next = d.kind === 'again' && d.orOnEvent ? inbox.find((e) => Date.parse(e.occurredAt) > clock.getTime() && Date.parse(e.occurredAt) <= until) : undefined;
      clock = new Date(next ? Date.parse(next.occurredAt) : until);
      step.wokeAt = clock.toISOString();
      if (d.kind === 'sleep') { step.port = d.port; node = target(node, d.port); }
      continue;
    }
    // waitForEvent: the first event, in time order, that matches, unless the goal is met first.
    const arrived = inbox.filter((e) => Date.parse(e.occurredAt) <= until);
    const found = arrived.findIndex((e) => matchesEvent(d.match, e));
    const met = goalEventBy(found >= 0 ? Date.parse(arrived[found]!.occurredAt) : until);
    if (met) { clock = new Date(Math.max(clock.getTime(), Date.parse(met.occurredAt))); return end('goal reached'); }
    if (found >= 0) {
      const e = arrived[found]!;
      clock = new Date(Math.max(clock.getTime(), Date.parse(e.occurredAt)));
      inbox = inbox.slice(inbox.indexOf(e) + 1);
      received = e;
      step.port = d.eventPort;
      step.wokeBy = e;
    } else {
      clock = new Date(until);
      inbox = inbox.filter((e) => Date.parse(e.occurredAt) > until);
      step.port = d.timeoutPort;
    }
    step.wokeAt = clock.toISOString();
    node = target(step.node, step.port);
  }
  return end('completed');
}
