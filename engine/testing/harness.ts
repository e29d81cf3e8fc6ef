// The plugin test harness: runs one node plugin's `run(ctx)` without Temporal or
// PostgreSQL and hands back its directive and every effect it asked for. The context
// has the same shape and the same rules as the one the worker builds
// (engine/run/activities.ts): validated, migrated config; Handlebars rendering with
// contact, event, received and program in scope; idempotency keys; declared ports only.
//
//   import { runPlugin } from 'tend/testing';
//   const { directive, effects } = await runPlugin(myPlugin, {
//     config: { text: 'Hi {{contact.email}}' },
//     contact: { email: 'ada@example.com' },
//     http: () => ({ status: 200, body: '{}' }),
//   });
//   expect(directive).toEqual({ kind: 'next', port: 'next' });
//   expect(effects.http[0].request.body).toContain('ada@example.com');
import crypto from 'node:crypto';
import { Registry } from '../plugin/registry.js';
import type { Contact, Directive, ExperimentState, Logger, NodePlugin, RunContext, TendEvent } from '../plugin/index.js';
import { NotRetryableError } from '../plugin/index.js';
import { createRenderer, type Renderer } from '../delivery/templates.js';
import { portsOf } from '../flow/ports.js';
import { createMemoryWorld, type HttpHandler, type MemoryWorld, type RecordedEffects, type SendDecider, type WorldOptions } from './memory-world.js';
import { measureEvents } from '../plugin/conditions.js';
import { chooseHour, CONTACT_WINDOW_DAYS, ENGAGEMENT_TYPES, zoneOf } from '../audience/send-time.js';

export type { RecordedEffects, HttpHandler, SendDecider } from './memory-world.js';
export { createMemoryWorld, applyToContact } from './memory-world.js';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

export interface RunOptions {
  /** The node's config as saved in a program. */
  config: unknown;
  /** The version `config` was saved with (default: the plugin's version); older configs are migrated first. */
  configVersion?: number;
  /** Fields of the contact; the rest get neutral defaults (no email, score 0, no tags…). */
  contact?: Partial<Contact>;
  /** The event that started the run; `occurredAt` defaults to `now`. */
  event?: Partial<TendEvent> | null;
  /** The event that ended the run's last wait for an event. */
  received?: Partial<TendEvent> | null;
  /** The clock the node sees (default 2030-01-01T00:00:00Z, so results never depend on the day the test runs). */
  now?: Date | string;
  secrets?: Record<string, string>;
  /** 1 on the first try; set higher to test retry behaviour. */
  attempt?: number;
  /** The visit number of this node in the run (loops count visits). */
  visit?: number;
  /** `arrivedAt`: when the run came to the node (default `now`), for nodes that repeat with `again`. */
  node?: { id?: string; label?: string; arrivedAt?: string };
  program?: { id?: string; version?: number; name?: string };
  enrollment?: { id?: string; key?: string; keyPath?: string; enteredAt?: string };
  /** Answers the plugin's HTTP requests; without it an HTTP effect fails the run. */
  http?: HttpHandler;
  /** Overrides the send decision (default: sent, unless there is no address or no consent). */
  send?: SendDecider;
  sequences?: Record<string, number>;
  policy?: WorldOptions['policy'];
  /** The contact's past events, which facts in conditions (`ctx.measure`) count and sum. */
  history?: Partial<TendEvent>[];
  /** What `ctx.experiment` answers (default: no results yet, no winner). */
  experiment?: ExperimentState;
  /** Folder of Handlebars partials, as TEND_TEMPLATES_DIR. */
  templatesDir?: string;
}

export interface RunResult {
  directive: Directive;
  effects: RecordedEffects;
  logs: LogLine[];
  /** The contact after the run's contact and score effects. */
  contact: Contact;
  /** The visit's idempotency key; each effect's key extends it (`…#1:email`). */
  idempotencyKey: string;
}

/** Thrown when the config does not validate; `problems` name each field by JSON Pointer. */
export class PluginConfigError extends Error {
  constructor(readonly pluginId: string, readonly problems: { path: string; message: string }[]) {
    super(`invalid config for ${pluginId}: ${problems.map((p) => `${p.path || '/'} ${p.message}`).join('; ')}`);
    this.name = 'PluginConfigError';
  }
}

export const DEFAULT_NOW = '2030-01-01T00:00:00.000Z';
export const UNSUBSCRIBE_BASE = 'https://tend.invalid/unsubscribe/';

/** A contact with neutral defaults, overridden by `fields`. */
export function makeContact(fields: Partial<Contact> = {}): Contact {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    externalId: null,
    email: null,
    phone: null,
    attributes: {},
    score: 0,
    tags: [],
    consent: {},
    unsubscribed: false,
    timezone: null,
    createdAt: DEFAULT_NOW,
    ...fields,
  };
}

export function makeEvent(fields: Partial<TendEvent>, now: Date): TendEvent {
  return { id: fields.id ?? crypto.randomUUID(), type: fields.type ?? 'test_event', properties: fields.properties ?? {}, occurredAt: fields.occurredAt ?? now.toISOString() };
}

const registries = new WeakMap<NodePlugin, Registry>();

/**
 * The plugin's config as the registry sees it: migrated from `fromVersion` and
 * validated against the schema and the plugin's own checks; throws PluginConfigError.
 */
export function checkedConfig(plugin: NodePlugin, config: unknown, fromVersion = plugin.version): unknown {
  let registry = registries.get(plugin);
  if (!registry) {
    registry = new Registry();
    registry.register(plugin, 'harness'); // the same shape checks TEND_PLUGINS loading makes
    registries.set(plugin, registry);
  }
  const migrated = registry.migrateConfig(plugin, fromVersion, config);
  if (migrated === undefined) throw new PluginConfigError(plugin.id, [{ path: '/version', message: `no migration path from version ${fromVersion} to ${plugin.version}` }]);
  const problems = registry.checkConfig(plugin, migrated);
  if (problems.length) throw new PluginConfigError(plugin.id, problems);
  return migrated;
}

export interface Visit {
  plugin: NodePlugin;
  /** Already checked and migrated. */
  config: unknown;
  world: MemoryWorld;
  event: TendEvent | null;
  received: TendEvent | null;
  now: Date;
  program: RunContext<unknown>['program'];
  enrollment: RunContext<unknown>['enrollment'];
  node: RunContext<unknown>['node'];
  attempt: number;
  secrets: Record<string, string>;
  render: Renderer;
  logs: LogLine[];
  /** The contact's past events, for facts (`ctx.measure`). */
  history?: readonly TendEvent[];
  experiment?: ExperimentState;
}

/**
 * Runs one node visit against a memory world and checks the directive's ports, as the
 * worker does. Shared by `runPlugin` and the program simulator.
 */
export async function runVisit(v: Visit): Promise<Directive> {
  const idempotencyKey = `${v.enrollment.id}:${v.node.id}:${v.node.visit}`;
  const contact = v.world.contact;
  const scope = { contact, event: v.event, received: v.received, program: v.program, unsubscribeUrl: UNSUBSCRIBE_BASE + contact.id };
  const write = (level: LogLine['level']) => (message: string, fields?: Record<string, unknown>) => void v.logs.push({ level, message, ...(fields ? { fields } : {}) });
  const log: Logger = { info: write('info'), warn: write('warn'), error: write('error') };
  const directive = await v.plugin.run({
    config: v.config as never,
    contact,
    event: v.event,
    received: v.received,
    program: v.program,
    enrollment: v.enrollment,
    node: v.node,
    attempt: v.attempt,
    idempotencyKey,
    now: v.now,
    secrets: v.secrets,
    log,
    effects: v.world.effectsFor(idempotencyKey),
    render: (template, extra, options) => {
      try {
        // The contact as the visit began, as in Tend: each visit reads the contact once.
        return v.render(template, { ...scope, ...extra }, options);
      } catch (err) {
        throw new NotRetryableError(`template error: ${(err as Error).message.split('\n')[0]}`, { cause: err });
      }
    },
    sticky: (salt) => crypto.createHash('sha256').update(`${contact.id}:${v.program.id}:${salt}`).digest().readUInt32BE(0) / 2 ** 32,
    measure: async (fact) => measureEvents(v.history ?? [], fact, v.now),
    experiment: async (query) => v.experiment ?? { results: query.variants.map((variant) => ({ variant, assigned: 0, converted: 0, rate: 0 })) },
    // Answered by the test's HTTP handler (`http`), as a webhook would be; never cached.
    fetchJson: async (url) => {
      try {
        const r = await v.world.effectsFor(`${idempotencyKey}:fetch:${url}`).http({ method: 'GET', url });
        if (r.status < 200 || r.status > 299) return { ok: false, reason: `HTTP ${r.status}` };
        return { ok: true, data: JSON.parse(r.body) as unknown, cached: false };
      } catch (err) {
        return { ok: false, reason: (err as Error).message };
      }
    },
    // A simulation runs one contact: first in every queue.
    takePlace: async () => v.now,
    // From the contact's own opens and clicks in the history; a simulation has no population.
    bestSendHour: async () => {
      const zone = zoneOf(contact.timezone, 'UTC');
      const own = (v.history ?? []).filter((e) => (ENGAGEMENT_TYPES as readonly string[]).includes(e.type) && v.now.getTime() - Date.parse(e.occurredAt) < CONTACT_WINDOW_DAYS * 86_400_000).map((e) => new Date(e.occurredAt));
      return { ...(await chooseHour(own, zone, async () => ({ hour: undefined, signals: 0 }))), zone };
    },
  });
  const declared = portsOf(v.plugin, v.config).map((p) => p.name);
  const used = directive.kind === 'waitForEvent' ? [directive.eventPort, directive.timeoutPort] : directive.kind === 'next' || directive.kind === 'sleep' ? [directive.port] : [];
  const undeclared = used.find((p) => !declared.includes(p));
  if (undeclared) throw new NotRetryableError(`plugin ${v.plugin.id} returned port "${undeclared}", which it does not declare (it has ${declared.join(', ') || 'none'})`);
  return directive;
}

const renderers = new Map<string, Renderer>();
export function rendererFor(templatesDir?: string): Renderer {
  const key = templatesDir ?? '';
  let r = renderers.get(key);
  if (!r) renderers.set(key, (r = createRenderer(templatesDir)));
  return r;
}

/** Runs a plugin's `run(ctx)` once, in memory. Errors the plugin throws are rethrown as they are. */
export async function runPlugin(plugin: NodePlugin<any>, opts: RunOptions): Promise<RunResult> {
  const config = checkedConfig(plugin as NodePlugin, opts.config, opts.configVersion);
  const now = new Date(opts.now ?? DEFAULT_NOW);
  const world = createMemoryWorld(makeContact(opts.contact), { http: opts.http, send: opts.send, sequences: opts.sequences, policy: opts.policy });
  const logs: LogLine[] = [];
  const program = { id: '00000000-0000-4000-8000-0000000000a1', version: 1, name: 'Test program', ...opts.program };
  const enrollment = { id: '00000000-0000-4000-8000-0000000000e1', key: '', enteredAt: now.toISOString(), ...opts.enrollment };
  const node = { id: opts.node?.id ?? 'node', visit: opts.visit ?? 1, label: opts.node?.label, arrivedAt: opts.node?.arrivedAt ?? now.toISOString() };
  const directive = await runVisit({
    plugin: plugin as NodePlugin,
    config,
    world,
    event: opts.event ? makeEvent(opts.event, now) : null,
    received: opts.received ? makeEvent(opts.received, now) : null,
    now,
    program,
    enrollment,
    node,
    attempt: opts.attempt ?? 1,
    secrets: opts.secrets ?? {},
    render: rendererFor(opts.templatesDir),
    logs,
    history: (opts.history ?? []).map((e) => makeEvent(e, now)),
    experiment: opts.experiment,
  });
  return { directive, effects: world.effects, logs, contact: world.contact, idempotencyKey: `${enrollment.id}:${node.id}:${node.visit}` };
}
