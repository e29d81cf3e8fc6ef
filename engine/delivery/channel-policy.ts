// The one place that decides whether a message may go to a contact now: consent per
// channel, do-not-contact, frequency caps across all programs, quiet hours in the
// contact's time zone. Sends call `decide` inside the transaction that claims the
// message, under a per-contact, per-channel lock, so two programs sending at once
// cannot both slip under a cap.
import { Type, type Static } from '@sinclair/typebox';
import type pg from 'pg';
import { DURATION_PATTERN, durationMs } from '../plugin/duration.js';
import { isTimeZone, localParts, zonedInstant } from '../plugin/zoned-time.js';
import type { CapPolicy, Contact } from '../plugin/index.js';
import type { Queryable } from '../storage/db.js';
import { readSetting, writeSetting } from '../storage/settings.js';
import { lockContactChannel, recentMarketingSends } from '../storage/messages.js';
import { topicRefusal } from '../audience/topics.js';
import { ceilingPlace } from './pacing.js';
import { CEILING_REASON } from '../storage/messages.js';

export const CHANNELS = ['email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

const HourMinute = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'Local time, "21:00"' });

export const MessagingPolicy = Type.Object(
  {
    consent: Type.Object(
      {
        email: Type.Union([Type.Literal('opt-out'), Type.Literal('opt-in')], { default: 'opt-out' }),
        sms: Type.Union([Type.Literal('opt-out'), Type.Literal('opt-in')], { default: 'opt-in' }),
      },
      { additionalProperties: false, description: 'opt-in: marketing only to contacts whose consent for the channel is true; opt-out: unless it is false' },
    ),
    caps: Type.Array(
      Type.Object(
        {
          channel: Type.Union(CHANNELS.map((c) => Type.Literal(c))),
          max: Type.Integer({ minimum: 1, maximum: 1000, description: 'At most this many marketing messages …' }),
          per: Type.String({ pattern: DURATION_PATTERN, description: '… within this window, e.g. "7 days"' }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20 },
    ),
    quietHours: Type.Optional(
      Type.Object(
        {
          start: HourMinute,
          end: HourMinute,
          channels: Type.Array(Type.Union(CHANNELS.map((c) => Type.Literal(c))), { minItems: 1, uniqueItems: true }),
        },
        { additionalProperties: false, description: 'No marketing messages between start and end, local time; they wait for the end' },
      ),
    ),
    defaultTimezone: Type.String({ minLength: 1, maxLength: 64, default: 'UTC', description: 'For contacts without a time zone' }),
    ceilings: Type.Optional(
      Type.Array(
        Type.Object(
          {
            channel: Type.Union(CHANNELS.map((c) => Type.Literal(c))),
            max: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'At most this many marketing messages on the channel, from every program together …' }),
            per: Type.String({ pattern: DURATION_PATTERN, description: '… per this period, e.g. "1 minute": the rest queue, in order, and go out at that pace' }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 4, description: 'Sending ceilings: the pace a sending domain or number can keep without hurting its reputation' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type MessagingPolicy = Static<typeof MessagingPolicy>;

/** What `PUT /api/messaging-policy` accepts: any part may be left out and keeps its default. */
export const MessagingPolicyInput = Type.Partial(MessagingPolicy, { additionalProperties: false });
export type MessagingPolicyInput = Static<typeof MessagingPolicyInput>;

export const DEFAULT_POLICY: MessagingPolicy = { consent: { email: 'opt-out', sms: 'opt-in' }, caps: [], defaultTimezone: 'UTC' };

export function withDefaults(input: MessagingPolicyInput): MessagingPolicy {
  return { ...DEFAULT_POLICY, ...input, consent: { ...DEFAULT_POLICY.consent, ...input.consent } };
}

const SETTINGS_KEY = 'messaging_policy';

export async function readPolicy(db: Queryable): Promise<MessagingPolicy> {
  return (await readSetting<MessagingPolicy>(db, SETTINGS_KEY)) ?? DEFAULT_POLICY;
}

export async function writePolicy(db: Queryable, policy: MessagingPolicy): Promise<void> {
  await writeSetting(db, SETTINGS_KEY, policy);
}

/** Problems a schema cannot see, with paths into the policy. */
export function policyProblems(policy: MessagingPolicy): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (!isTimeZone(policy.defaultTimezone)) problems.push({ path: '/defaultTimezone', message: `"${policy.defaultTimezone}" is not an IANA time zone such as Europe/Berlin` });
  if (policy.quietHours && policy.quietHours.start === policy.quietHours.end) problems.push({ path: '/quietHours/end', message: 'quiet hours must not start and end at the same time' });
  return problems;
}

export type Decision = { action: 'send' } | { action: 'skip'; reason: string } | { action: 'defer'; until: Date; reason: string };

export interface Intent {
  channel: Channel;
  marketing: boolean;
  whenCapped: CapPolicy;
  /**
   * The message's place in the channel's sending ceiling is kept under this key (the run
   * and node, not the visit): the send deferred to its place finds it when it comes back.
   */
  placeKey?: string;
  /** The subscription topic the message is about; a contact who left the topic is skipped. */
  topic?: string;
}

/** Why a marketing message may not go to this contact on this channel at all, if it may not. */
export function consentRefusal(contact: Contact, channel: Channel, policy: MessagingPolicy): string | undefined {
  const consent = contact.consent as Record<string, unknown>;
  if (consent.do_not_contact === true) return 'do not contact';
  if (channel === 'email' && contact.unsubscribed) return 'unsubscribed';
  const given = consent[channel];
  if (given === false) return `no ${channel} consent`;
  if (policy.consent[channel] === 'opt-in' && given !== true) return `no ${channel} opt-in`;
  return undefined;
}

/** When quiet hours end, if `now` falls inside them for this contact. */
export function quietUntil(now: Date, timezone: string, quiet: NonNullable<MessagingPolicy['quietHours']>): Date | undefined {
  const { hour, minute } = localParts(now, timezone);
  const local = hour * 60 + minute;
  const [sh, sm] = quiet.start.split(':').map(Number);
  const [eh, em] = quiet.end.split(':').map(Number);
  const start = sh! * 60 + sm!;
  const end = eh! * 60 + em!;
  const inside = start < end ? local >= start && local < end : local >= start || local < end;
  if (!inside) return undefined;
  const today = localParts(now, timezone);
  const endToday = zonedInstant(timezone, today.year, today.month, today.day, eh!, em!);
  // Past midnight the end is later today; before midnight it is the next local day
  // (counted in calendar days, not 24 hours, which a DST change would skew).
  return endToday > now ? endToday : zonedInstant(timezone, today.year, today.month, today.day + 1, eh!, em!);
}

/**
 * Must run inside the transaction that then records the message: takes the contact's
 * channel lock and counts marketing messages already sent or being sent.
 */
export async function decide(tx: pg.PoolClient, contact: Contact, intent: Intent, policy: MessagingPolicy, now = new Date()): Promise<Decision> {
  if (!intent.marketing) return { action: 'send' };
  const refusal = consentRefusal(contact, intent.channel, policy);
  if (refusal) return { action: 'skip', reason: refusal };
  const leftTopic = intent.topic ? topicRefusal(contact, intent.topic) : undefined;
  if (leftTopic) return { action: 'skip', reason: leftTopic };

  const timezone = contact.timezone && isTimeZone(contact.timezone) ? contact.timezone : policy.defaultTimezone;
  if (policy.quietHours?.channels.includes(intent.channel)) {
    const until = quietUntil(now, timezone, policy.quietHours);
    if (until) return { action: 'defer', until, reason: `quiet hours until ${policy.quietHours.end} (${timezone})` };
  }

  // The channel's ceiling holds for every marketing message, capped or not: it keeps the
  // sending domain's pace, not the contact's.
  for (const ceiling of (policy.ceilings ?? []).filter((c) => c.channel === intent.channel)) {
    const at = await ceilingPlace(tx, `ceiling:${intent.channel}`, durationMs(ceiling.per) / ceiling.max, intent.placeKey, now);
    if (at) return { action: 'defer', until: at, reason: `${CEILING_REASON}: ${ceiling.max} ${intent.channel} per ${ceiling.per}, queued` };
  }
  if (intent.whenCapped === 'send') return { action: 'send' };
  await lockContactChannel(tx, contact.id, intent.channel);
  for (const cap of policy.caps.filter((c) => c.channel === intent.channel)) {
    const windowStart = new Date(now.getTime() - durationMs(cap.per));
    const sent = await recentMarketingSends(tx, contact.id, intent.channel, windowStart, cap.max);
    if (sent.length < cap.max) continue;
    const reason = `frequency cap: ${cap.max} ${intent.channel} per ${cap.per}`;
    if (intent.whenCapped === 'skip') return { action: 'skip', reason };
    // The oldest of the last `max` messages leaves the window first.
    const until = new Date(sent[sent.length - 1]!.getTime() + durationMs(cap.per) + 1000);
    return { action: 'defer', until, reason };
  }
  return { action: 'send' };
}
