// The node plugin contract: the one public API that built-in and third-party nodes
// are written against. A plugin's description (id, schema, ports) is plain data the
// editor can read; `run` executes only inside a Temporal activity on a worker.
import type { BestHour } from '../audience/send-time.js';
import type { Static, TSchema } from '@sinclair/typebox';
import type { Condition, Fact } from './conditions.js';

export type Category = 'trigger' | 'wait' | 'logic' | 'action';

export interface Port {
  name: string;
  label: string;
}

/** What a node tells the workflow to do next. */
export type Directive =
  | { kind: 'next'; port: string }
  | { kind: 'sleep'; until: string; port: string }
  | { kind: 'waitForEvent'; match: EventMatch; until: string; eventPort: string; timeoutPort: string }
  | { kind: 'exit'; reason?: string }
  /**
   * Run this node again at `until`, as a new visit (a send deferred by quiet hours or a
   * frequency cap) — or sooner, when `orOnEvent` and an event for the contact arrives
   * (a condition to re-check).
   */
  | { kind: 'again'; until: string; reason?: string; orOnEvent?: boolean };

/** An event the workflow waits for: its type, a condition on it, and the correlation key it must carry. */
export interface EventMatch {
  type: string;
  where?: Condition;
  /** The event must carry this correlation key value at this path (e.g. the cart id). */
  correlate?: { path: string; value: string };
}

export const directive = {
  next: (port = 'next'): Directive => ({ kind: 'next', port }),
  sleep: (until: Date, port = 'next'): Directive => ({ kind: 'sleep', until: until.toISOString(), port }),
  waitForEvent: (match: EventMatch, until: Date, eventPort = 'event', timeoutPort = 'timeout'): Directive => ({
    kind: 'waitForEvent', match, until: until.toISOString(), eventPort, timeoutPort,
  }),
  exit: (reason?: string): Directive => ({ kind: 'exit', reason }),
  again: (until: Date, reason?: string, options: { orOnEvent?: boolean } = {}): Directive => ({ kind: 'again', until: until.toISOString(), reason, ...(options.orOnEvent ? { orOnEvent: true } : {}) }),
};

export interface Contact {
  id: string;
  externalId: string | null;
  email: string | null;
  phone: string | null;
  attributes: Record<string, unknown>;
  score: number;
  tags: string[];
  consent: Record<string, unknown>;
  unsubscribed: boolean;
  timezone: string | null;
  createdAt: string;
  /** Keys of the segments the contact is in (conditions read `contact.segments`); loaded for program nodes. */
  segments?: string[];
}

export interface TendEvent {
  id: string;
  type: string;
  properties: Record<string, unknown>;
  occurredAt: string;
}

export type ContactOperation =
  | { op: 'set'; field: string; value: unknown }
  | { op: 'unset'; field: string }
  | { op: 'increment'; field: string; by: number }
  | { op: 'addTag'; tag: string }
  | { op: 'removeTag'; tag: string }
  /** Consent for a channel (`email`, `sms`) or `do_not_contact`: false opts the contact out. */
  | { op: 'setConsent'; channel: string; value: boolean };

/**
 * What a marketing message does when a frequency cap says "not now": `skip` it (recorded
 * with the reason), `defer` it until the cap allows, or `send` it anyway. Quiet hours
 * always defer; transactional messages ignore caps, quiet hours and marketing opt-outs.
 */
export type CapPolicy = 'skip' | 'defer' | 'send';

export interface EmailMessage {
  subject: string;
  html: string;
  text: string;
  /** Marketing mail honours consent, caps and quiet hours and carries an unsubscribe link; transactional mail does not. */
  marketing: boolean;
  /** Send to this address instead of the contact (internal notifications; never marketing). */
  to?: string;
  whenCapped?: CapPolicy;
  /** The subscription topic (a key from /api/topics): contacts who left it are skipped. Marketing mail only. */
  topic?: string;
  from?: string;
  replyTo?: string;
  /** The connected content fetched for it, recorded on the message. */
  connected?: ConnectedRecord[];
}

/** Connected content: the answer of a fetch made at send time (RunContext.fetchJson). */
export type FetchedJson = { ok: true; data: unknown; cached: boolean } | { ok: false; reason: string };

/** One connected-content fetch, as the message records it. */
export interface ConnectedRecord { name: string; url: string; status: 'fetched' | 'cached' | 'failed'; reason?: string }

export interface SmsMessage {
  body: string;
  marketing: boolean;
  whenCapped?: CapPolicy;
}

export type SendResult =
  | { status: 'sent'; messageId: string }
  | { status: 'skipped' | 'failed'; reason: string }
  /** Not sent yet: return `directive.again(new Date(until))` to try again then. */
  | { status: 'deferred'; until: string; reason: string };

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The effects a node may have on the world. Each is keyed by the node visit, so retries never repeat one. */
export interface Effects {
  updateContact(ops: ContactOperation[]): Promise<Contact>;
  changeScore(delta: number, reason: string): Promise<number>;
  sendEmail(message: EmailMessage): Promise<SendResult>;
  /** Sends a text message to the contact's phone through the configured SMS provider. */
  sendSms(message: SmsMessage): Promise<SendResult>;
  /**
   * The next number (1, 2, 3, …) of a counter shared by every run of every program,
   * drawn once per node visit: round-robin assignment, numbering.
   */
  sequence(name: string): Promise<number>;
  /**
   * Puts an event on the contact's timeline, once per visit, where programs see it
   * (triggers, waits) like an event from the API. Plugins are trusted code: they may
   * use the reserved `tend.` prefix that the API refuses.
   */
  recordEvent(type: string, properties?: Record<string, unknown>): Promise<void>;
  /** Sends an HTTP request once per node visit; a retry after success returns the recorded response. */
  http(request: HttpRequest): Promise<HttpResponse>;
}

export interface RunContext<C> {
  config: C;
  contact: Contact;
  /** The event that started this enrollment (null for programs started otherwise). */
  event: TendEvent | null;
  /** The event that ended this run's last "wait for event" (null before any). */
  received: TendEvent | null;
  program: { id: string; version: number; name: string };
  /** `key` is the correlation key value of this run ('' when the program is not keyed); `keyPath` where it is read in events. */
  enrollment: { id: string; key: string; keyPath?: string; enteredAt: string };
  /** `arrivedAt`: when the run came to this node — the first of the visits `again` repeats. */
  node: { id: string; visit: number; label?: string; arrivedAt: string };
  /** 1 on the first try of this visit, 2 on the first retry, … */
  attempt: number;
  idempotencyKey: string;
  now: Date;
  secrets: Readonly<Record<string, string>>;
  log: Logger;
  effects: Effects;
  /**
   * Renders a Handlebars template with `contact`, `event`, `program` and `unsubscribeUrl`
   * in scope. HTML-escapes values unless `escape` is false (JSON bodies, URLs).
   */
  render(template: string, extra?: Record<string, unknown>, options?: { escape?: boolean }): string;
  /** A number in [0, 1) fixed for this contact, program and salt: sticky random choices. */
  sticky(salt: string): number;
  /** A fact about the contact's past events (a count or a sum, optionally within a window), as of now. */
  measure(fact: Fact): Promise<number>;
  /**
   * The results of the A/B experiment this node runs (assignments recorded as
   * `tend.experiment_assigned` events), and its winner once decided.
   */
  experiment(spec: ExperimentQuery): Promise<ExperimentState>;
  /**
   * The local hour (in `zone`, the contact's time zone or the policy's default) this
   * contact most often opens or clicks email, or everyone's when they have too few
   * opens and clicks (engine/audience/send-time.ts).
   */
  bestSendHour(): Promise<BestHour & { zone: string }>;
  /**
   * A place in this node's queue, one every `everyMs` across all its runs, in the order
   * they came (engine/delivery/pacing.ts): when this visit may pass. A retry keeps its place.
   */
  takePlace(everyMs: number): Promise<Date>;
  /**
   * Connected content: JSON from a URL, fetched now through the outbound guard (private
   * addresses refused unless allowed), with a timeout; kept for `ttl` ("10 minutes") per
   * URL. A failure answers `ok: false` with the reason (engine/delivery/connected-content.ts).
   */
  fetchJson(url: string, opts?: { ttl?: string; timeoutMs?: number }): Promise<FetchedJson>;
}

export interface ExperimentQuery {
  variants: string[];
  metric: 'opened' | 'clicked' | 'conversion';
  /** For `conversion`: the event type that counts. */
  event?: string;
  /** How long after assignment a success counts ("3 days"). */
  window: string;
  /** Contacts per variant whose window has passed before a winner is chosen. */
  minSample: number;
}

export interface ExperimentState {
  winner?: string;
  decidedAt?: string;
  results: { variant: string; assigned: number; converted: number; rate: number }[];
}

/** How a trigger node is matched against incoming events. Plain data, so the dispatcher can index it. */
export interface TriggerSpec {
  eventType: string;
  where?: Condition;
  /** Path in the event (e.g. `properties.cart_id`) whose value keys separate runs. */
  correlationKey?: string;
  /**
   * Enter contacts when a date in their data comes round: Tend keeps a due time per
   * contact and, when it passes, records `tend.date_reached` with this schedule's
   * `signature`, which `eventType`/`where` should match (see engine/audience/date-schedule.ts).
   */
  dateSchedule?: DateSchedule;
  /** Only events whose `properties.programId` names this trigger's own program (entry by another program or the API). */
  addressed?: boolean;
  /**
   * Enter contacts on a calendar (a cron expression in each contact's own time zone):
   * Tend records `tend.schedule_reached` with the schedule's signature for the contacts
   * in `audience` each time it comes round (see engine/audience/calendar.ts).
   */
  calendar?: { cron: string; audience?: Condition };
  /** An event matching this ends the runs this trigger started, wherever they are (e.g. leaving the segment entered). */
  exitOn?: Condition;
  /** Why such a run ended, as stats and the timeline show it. */
  exitReason?: string;
  /** Only when the contact's recent history holds enough events (18 page views in 7 days). */
  history?: HistoryRule;
}

/** Counts of recent events that must all hold when the trigger's event arrives. */
export interface HistoryRule {
  counts: HistoryCount[];
  /**
   * Only on the event that makes the counts hold (they did not without it): once per
   * crossing, not again on every later event, like a score threshold.
   */
  crossing?: boolean;
}

/** At least `atLeast` events of `eventType` matching `where` (on `event`) within `within` up to the incoming event, that one included. */
export interface HistoryCount {
  eventType: string;
  where?: Condition;
  /** A duration: "7 days". */
  within: string;
  atLeast: number;
}

export interface DateSchedule {
  /** Contact field holding a date: `attributes.renewal_date`. */
  field: string;
  /** Signed duration from that date: "-30 days", "2 hours". */
  offset?: string;
  /** HH:MM in the contact's time zone, on the day reached. */
  atLocalTime?: string;
  /** Again every year (birthdays, renewals); otherwise once. */
  yearly?: boolean;
}

export interface PluginDescription<S extends TSchema = TSchema> {
  /** Namespaced type id: `tend.wait.duration`, `acme.crm.task`. */
  id: string;
  version: number;
  category: Category;
  title: string;
  description: string;
  configSchema: S;
  /** Output ports; a node with none ends the run after it. */
  ports: Port[];
  /** Ports read from an array in the config (e.g. split variants), added after `ports`. */
  dynamicPorts?: { field: string; nameKey: string; labelKey?: string };
  /** One-line summary for the canvas; `{{field}}` is replaced by config values. */
  summary?: string;
  /** Whether this node waits, so a cycle through it is allowed. */
  waits?: boolean;
  /** What the canvas calls the contacts at this node ("queued" for a throttle); "here" unless set. */
  waitingLabel?: string;
  /** Whether this node lets a contact round a cycle only a bounded number of times, so a cycle through it is allowed too. */
  boundsLoops?: boolean;
  /**
   * run() finishes in milliseconds and touches nothing but Tend's own data (a branch, a
   * score change, a wait's wake-up time). Such nodes run as Temporal local activities:
   * no round trip through the Temporal server, same retries and exactly-once effects.
   * Leave it unset for anything that talks to the outside world (email, HTTP).
   */
  quick?: boolean;
  /**
   * Makes the node a goal: a run jumps to it from wherever it is (a step or a wait)
   * the first time the condition holds — checked on each event the run receives
   * (`event.` fields) and before each step (`contact.` fields and facts) — and goes on
   * from its ports. It needs no incoming edge.
   */
  goal?(config: any): Condition;
  /** Checks a schema cannot express; paths are JSON Pointers relative to the config. */
  check?(config: any): { path: string; message: string }[];
  /** Config migrations from older versions: `migrations[n]` turns a version n config into n + 1. */
  migrations?: Record<number, (config: any) => unknown>;
}

export interface NodePlugin<S extends TSchema = TSchema> extends PluginDescription<S> {
  /** For category `trigger`: which events start the program. */
  trigger?(config: Static<S>): TriggerSpec;
  run(ctx: RunContext<Static<S>>): Promise<Directive> | Directive;
}

/** Declares a node plugin with its config type inferred from the schema. */
export function definePlugin<S extends TSchema>(plugin: NodePlugin<S>): NodePlugin<S> {
  return plugin;
}

/** Errors a plugin may throw to steer retries. */
export class NotRetryableError extends Error {
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotRetryableError';
  }
}

export class RetryAfterError extends Error {
  constructor(message: string, readonly delayMs: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryAfterError';
  }
}

/** The names a contact attribute may have (one rule for every input that writes them). */
export { ATTRIBUTE_NAME_PATTERN } from './field-names.js';

/** The partials (and so the email layouts, `layout-<name>`) templates may include. */
export { knownPartials } from '../delivery/template-check.js';

// What a node may use besides the contract above: the condition language (its schema for
// a config, its check, its evaluation), durations, local times, topics and the schedule
// rules. Built-in nodes use these exactly as a third party's would (.dependency-cruiser.cjs
// fails a node that imports anything else of the engine).
/** The condition language: `Condition` is both its JSON Schema (for a node's config) and its type. */
export { Condition } from './condition-schema.js';
export { conditionProblems, evaluateMeasured, readPath, type ConditionRules } from './conditions.js';
/** Human durations ("3 days"): the pattern a config field uses, and adding one to a date. */
export { DURATION_PATTERN, addDuration } from './duration.js';
/** Local times in a contact's time zone. */
export { atLocalTime, isTimeZone } from './zoned-time.js';
/** The key a subscription topic may have. */
export { TOPIC_KEY_PATTERN } from '../audience/topics.js';
export { STAGE_ATTRIBUTE, STAGE_PATTERN } from '../audience/stages.js';
export type { BestHour } from '../audience/send-time.js';
/** The schedule triggers' event type, signatures and cron check. */
export { SCHEDULE_REACHED, calendarSignature, cronProblem, scheduleSignature, type CalendarSchedule } from './schedule-rules.js';
