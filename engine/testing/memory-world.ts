// The world a plugin sees when it runs outside Tend: one contact held in memory and a
// record of every effect asked for. The harness gives each run a fresh one; the
// simulator keeps one for a whole program run, so a later node sees earlier changes.
import crypto from 'node:crypto';
import type { Contact, ContactOperation, Effects, EmailMessage, HttpRequest, HttpResponse, SendResult, SmsMessage } from '../plugin/index.js';
import { NotRetryableError } from '../plugin/index.js';
import { consentRefusal, withDefaults, type MessagingPolicy } from '../delivery/channel-policy.js';

/** Every effect, in the order asked for, with the idempotency key Tend would store it under. */
export interface RecordedEffects {
  emails: (EmailMessage & { key: string; recipient: string | null; result: SendResult })[];
  sms: (SmsMessage & { key: string; recipient: string | null; result: SendResult })[];
  http: { key: string; request: HttpRequest; response: HttpResponse }[];
  contactUpdates: { key: string; operations: ContactOperation[] }[];
  scoreChanges: { key: string; delta: number; reason: string; score: number }[];
  sequences: { key: string; name: string; value: number }[];
  events: { key: string; type: string; properties: Record<string, unknown> }[];
}

export type HttpHandler = (request: HttpRequest) => HttpResponse | Promise<HttpResponse>;

/** Decides a send instead of the default consent check: return `deferred` to test a quiet-hours path. */
export type SendDecider = (channel: 'email' | 'sms', message: EmailMessage | SmsMessage, contact: Contact) => SendResult | undefined;

export interface WorldOptions {
  http?: HttpHandler;
  send?: SendDecider;
  /** Consent model for the default send decision (email opt-out, SMS opt-in unless told). */
  policy?: Partial<MessagingPolicy>;
  /** Last value drawn from each sequence; the next draw is one more. */
  sequences?: Record<string, number>;
}

export interface MemoryWorld {
  contact: Contact;
  effects: RecordedEffects;
  /** The `Effects` of one node visit, keyed like the engine keys them (`<visit key>#<n>:<kind>`). */
  effectsFor(visitKey: string): Effects;
}

const COLUMNS = new Set(['email', 'phone', 'timezone', 'externalId']);

export function emptyEffects(): RecordedEffects {
  return { emails: [], sms: [], http: [], contactUpdates: [], scoreChanges: [], sequences: [], events: [] };
}

/** Applies contact operations the way the engine's storage does: columns by name, the rest as attributes. */
export function applyToContact(contact: Contact, ops: ContactOperation[]): Contact {
  const next: Contact = { ...contact, attributes: { ...contact.attributes }, tags: [...contact.tags], consent: { ...contact.consent } };
  const columns = next as unknown as Record<string, unknown>;
  for (const op of ops) {
    if (op.op === 'addTag') { if (!next.tags.includes(op.tag)) next.tags.push(op.tag); continue; }
    if (op.op === 'removeTag') { next.tags = next.tags.filter((t) => t !== op.tag); continue; }
    if (op.op === 'setConsent') { next.consent[op.channel] = op.value; continue; }
    const isColumn = COLUMNS.has(op.field);
    const read = () => (isColumn ? columns[op.field] : next.attributes[op.field]);
    const write = (v: unknown) => {
      if (isColumn) columns[op.field] = v === undefined || v === null ? null : op.field === 'email' ? String(v).trim().toLowerCase() : String(v);
      else if (v === undefined) delete next.attributes[op.field];
      else next.attributes[op.field] = v;
    };
    if (op.op === 'set') write(op.value);
    else if (op.op === 'unset') write(undefined);
    else write((Number(read()) || 0) + op.by);
  }
  return next;
}

export function createMemoryWorld(contact: Contact, opts: WorldOptions = {}): MemoryWorld {
  const policy = withDefaults(opts.policy ?? {});
  const counters = new Map(Object.entries(opts.sequences ?? {}));
  const world: MemoryWorld = {
    contact,
    effects: emptyEffects(),
    effectsFor(visitKey) {
      const calls = new Map<string, number>();
      const nextKey = (kind: string) => {
        const n = (calls.get(kind) ?? 0) + 1;
        calls.set(kind, n);
        return `${visitKey}#${n}:${kind}`;
      };
      // The same outcomes the engine gives: no address → skipped, no consent → skipped.
      const decide = (channel: 'email' | 'sms', message: EmailMessage | SmsMessage, recipient: string | null, key: string): SendResult => {
        const custom = opts.send?.(channel, message, world.contact);
        if (custom) return custom;
        if (!recipient) return { status: 'skipped', reason: channel === 'email' ? 'no email address' : 'no phone number' };
        const refusal = message.marketing ? consentRefusal(world.contact, channel, policy) : undefined;
        if (refusal) return { status: 'skipped', reason: refusal };
        return { status: 'sent', messageId: `<${crypto.createHash('sha256').update(key).digest('hex').slice(0, 32)}@tend>` };
      };
      return {
        async updateContact(operations) {
          world.effects.contactUpdates.push({ key: nextKey('contact'), operations });
          world.contact = applyToContact(world.contact, operations);
          return world.contact;
        },
        async changeScore(delta, reason) {
          world.contact = { ...world.contact, score: world.contact.score + delta };
          world.effects.scoreChanges.push({ key: nextKey('score'), delta, reason, score: world.contact.score });
          return world.contact.score;
        },
        async sendEmail(message) {
          const key = nextKey('email');
          if (message.to && message.marketing) throw new NotRetryableError('marketing email goes to the contact; `to` is for internal notifications');
          const to = message.to ?? world.contact.email;
          const result = decide('email', message, to, key);
          world.effects.emails.push({ ...message, key, recipient: to, result });
          return result;
        },
        async sendSms(message) {
          const key = nextKey('sms');
          const result = decide('sms', message, world.contact.phone, key);
          world.effects.sms.push({ ...message, key, recipient: world.contact.phone, result });
          return result;
        },
        async sequence(name) {
          const value = (counters.get(name) ?? 0) + 1;
          counters.set(name, value);
          world.effects.sequences.push({ key: nextKey('sequence'), name, value });
          return value;
        },
        async recordEvent(type, properties = {}) {
          world.effects.events.push({ key: nextKey('event'), type, properties });
        },
        async http(request) {
          const key = nextKey('http');
          if (!opts.http) throw new Error(`the plugin made an HTTP request (${request.method} ${request.url}) but no http handler was given: pass { http: (req) => ({ status, headers, body }) }`);
          const response = await opts.http(request);
          const normalised = { status: response.status, headers: response.headers ?? {}, body: response.body ?? '' };
          world.effects.http.push({ key, request, response: normalised });
          return normalised;
        },
      };
    },
  };
  return world;
}
