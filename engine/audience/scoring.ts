// Lead scoring: rules (event type + condition → points, an optional cap per period,
// optional decay) applied to each event as it is dispatched, in the same transaction
// as the award row, so a re-dispatched event never scores twice. Every change of score,
// whether from a rule, a program node or decay, is a `tend.score_changed` event with the
// score before and after, so "score crossed 50" triggers and the timeline see it.
import { Type, type Static } from '@sinclair/typebox';
import type pg from 'pg';
import type { Db, Queryable } from '../storage/db.js';
import { transaction } from '../storage/db.js';
import { Condition } from '../plugin/condition-schema.js';
import { conditionProblems, evaluate } from '../plugin/conditions.js';
import { DURATION_PATTERN, durationMs } from '../plugin/duration.js';
import { appendEvent, toEvent, type EventRow } from '../storage/events.js';
import { getContact } from '../storage/contacts.js';
import {
  activeRuleRows, addToScore, claimDueAwards, decayingAwardRows, eventContactId, insertAward, insertRuleRow, lockScore, markAwardExpired, markRuleDeleted,
  pointsAwardedSince, ruleRow, ruleRows, updateRuleRow, type RuleRow,
} from '../storage/scoring.js';
import type { Contact, TendEvent } from '../plugin/index.js';

export const SCORE_CHANGED = 'tend.score_changed';

export const ScoringRuleInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'Shown as the reason on the timeline' }),
    eventType: Type.String({ pattern: '^(?!tend\\.score_changed$)[A-Za-z0-9_.:-]{1,100}$', description: 'The event that scores (not tend.score_changed itself)' }),
    where: Type.Optional(Condition),
    points: Type.Integer({ minimum: -10000, maximum: 10000, description: 'Points per event; negative for penalties' }),
    cap: Type.Optional(Type.Object(
      {
        points: Type.Integer({ minimum: 1, maximum: 1000000, description: 'At most this many points from this rule …' }),
        per: Type.String({ pattern: DURATION_PATTERN, description: '… per contact within this window, e.g. "1 day"' }),
      },
      { additionalProperties: false },
    )),
    expiresAfter: Type.Optional(Type.String({ pattern: DURATION_PATTERN, description: 'Decay: the points are taken back after this long, e.g. "30 days"' })),
    active: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
export type ScoringRuleInput = Static<typeof ScoringRuleInput>;

export interface ScoringRule extends ScoringRuleInput {
  id: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

function toRule(r: RuleRow): ScoringRule {
  return {
    id: r.id,
    name: r.name,
    eventType: r.event_type,
    ...(r.where ? { where: r.where } : {}),
    points: r.points,
    ...(r.cap_points !== null && r.cap_period ? { cap: { points: r.cap_points, per: r.cap_period } } : {}),
    ...(r.expires_after ? { expiresAfter: r.expires_after } : {}),
    active: r.active,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export function ruleProblems(rule: ScoringRuleInput): { path: string; message: string }[] {
  const problems = rule.where ? conditionProblems(rule.where, '/where') : [];
  if (rule.points === 0) problems.push({ path: '/points', message: 'a rule worth 0 points does nothing' });
  if (rule.cap && rule.points < 0) problems.push({ path: '/cap', message: 'a cap limits points gained; a penalty rule cannot have one' });
  return problems;
}

export async function listRules(db: Queryable): Promise<ScoringRule[]> {
  return (await ruleRows(db)).map(toRule);
}

export async function getRule(db: Queryable, id: string): Promise<ScoringRule | undefined> {
  const row = await ruleRow(db, id);
  return row ? toRule(row) : undefined;
}

export async function insertRule(db: Queryable, r: ScoringRuleInput): Promise<ScoringRule> {
  const row = await insertRuleRow(db, r);
  forgetRules(); // after the write is visible, so a reload cannot pick up the old set
  return toRule(row);
}

export async function updateRule(db: Queryable, id: string, r: ScoringRuleInput): Promise<ScoringRule | undefined> {
  const row = await updateRuleRow(db, id, r);
  forgetRules();
  return row ? toRule(row) : undefined;
}

/** Rules are switched off rather than deleted: past awards keep their reason. */
/** Deletes a rule: it awards nothing more and leaves the API; its row stays for the awards that name it. */
export async function deleteRule(db: Queryable, id: string): Promise<boolean> {
  const changed = await markRuleDeleted(db, id);
  forgetRules();
  return changed;
}

/**
 * Moves a contact's score by `delta` and records why, as a dispatched event carrying
 * the score before and after. Must run inside the caller's transaction.
 */
export async function changeScore(tx: pg.PoolClient, contactId: string, delta: number, reason: string, extra: Record<string, unknown> = {}): Promise<number> {
  const score = await addToScore(tx, contactId, delta);
  await appendEvent(tx, { contactId, type: SCORE_CHANGED, source: 'tend', dispatch: true, properties: { delta, reason, score, previous: score - delta, ...extra } });
  return score;
}

/**
 * The active rules by event type, read at most every two seconds: dispatch asks for
 * every event, and most event types have no rule. Rule changes through the API forget
 * the cache at once in this process; other processes see them within two seconds.
 */
let ruleCache: { at: number; byType: Map<string, RuleRow[]> } | undefined;
const RULE_CACHE_MS = 2000;

let ruleGeneration = 0;

export function forgetRules(): void {
  ruleGeneration += 1;
  ruleCache = undefined;
}

async function activeRules(db: Queryable, type: string): Promise<RuleRow[]> {
  if (!ruleCache || Date.now() - ruleCache.at > RULE_CACHE_MS) {
    const generation = ruleGeneration;
    const rows = await activeRuleRows(db);
    const byType = new Map<string, RuleRow[]>();
    for (const r of rows) byType.set(r.event_type, [...(byType.get(r.event_type) ?? []), r]);
    // A rule changed while this read was under way: use it, but do not keep it.
    if (generation !== ruleGeneration) return byType.get(type) ?? [];
    ruleCache = { at: Date.now(), byType };
  }
  return ruleCache.byType.get(type) ?? [];
}

/**
 * What one rule gives this contact for this event, and if nothing, why: the one place
 * the condition and the cap are applied, for real awards and for the check.
 */
async function decideAward(db: Queryable, rule: RuleRow, contact: Contact, event: TendEvent): Promise<{ points: number; why?: string }> {
  if (rule.where && !evaluate(rule.where, { contact, event })) return { points: 0, why: 'its condition does not hold for this event' };
  if (rule.cap_points === null || !rule.cap_period) return { points: rule.points };
  const since = new Date(Date.now() - durationMs(rule.cap_period));
  const used = await pointsAwardedSince(db, contact.id, rule.id, since);
  const points = Math.min(rule.points, rule.cap_points - used);
  return points > 0 ? { points } : { points: 0, why: `its cap is used up: ${used} of ${rule.cap_points} points within ${rule.cap_period}` };
}

/** "What would this contact's score be": a contact (by id or email) and an event as if it happened now. */
export const ScoreCheckInput = Type.Object(
  {
    contactId: Type.Optional(Type.String({ format: 'uuid' })),
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 320 })),
    eventType: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,100}$' }),
    properties: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { maxProperties: 50 })),
  },
  { additionalProperties: false },
);

export interface ScoreCheck {
  score: number;
  /** The score after this event, were it to happen now (decay not counted). */
  scoreAfter: number;
  rules: { id: string; name: string; points: number; why?: string }[];
}

/**
 * "What would this contact's score be": the active rules for the event's type applied
 * to the contact as they are now, caps counted, nothing written. Undefined for an
 * unknown contact.
 */
export async function checkScore(db: Queryable, contactId: string, event: { type: string; properties: Record<string, unknown> }): Promise<ScoreCheck | undefined> {
  const contact = await getContact(db, contactId);
  if (!contact) return undefined;
  const rows = await activeRuleRows(db, event.type);
  const asIf: TendEvent = { id: '00000000-0000-0000-0000-000000000000', type: event.type, properties: event.properties, occurredAt: new Date().toISOString() };
  const rules = [];
  for (const rule of rows) rules.push({ id: rule.id, name: rule.name, ...(await decideAward(db, rule, contact, asIf)) });
  return { score: contact.score, scoreAfter: contact.score + rules.reduce((sum, r) => sum + r.points, 0), rules };
}

/** Applies the active rules for this event's type; returns the points awarded. */
export async function scoreEvent(db: Db, row: EventRow): Promise<number> {
  if (row.type === SCORE_CHANGED) return 0;
  const rules = await activeRules(db, row.type);
  if (rules.length === 0) return 0;
  return transaction(db, async (tx) => {
    // One contact's awards are decided one at a time, so caps hold under concurrency.
    // A merge (engine/audience/identity.ts) may have moved the event to another contact since it
    // was read; it takes this lock too, so once held, the event's contact is settled.
    for (let contactId = row.contact_id; ;) {
      await lockScore(tx, contactId);
      const now = (await eventContactId(tx, row.id)) ?? contactId;
      if (now === contactId) {
        row = { ...row, contact_id: contactId };
        break;
      }
      contactId = now;
    }
    const contact = await getContact(tx, row.contact_id);
    if (!contact) return 0;
    const event = toEvent(row);
    let total = 0;
    for (const rule of rules) {
      const { points } = await decideAward(tx, rule, contact, event);
      if (points === 0) continue;
      const expiresAt = rule.expires_after ? new Date(Date.now() + durationMs(rule.expires_after)) : null;
      const awarded = await insertAward(tx, { contactId: row.contact_id, ruleId: rule.id, eventId: row.id, points, expiresAt });
      if (!awarded) continue; // this event was scored by this rule before
      await changeScore(tx, row.contact_id, points, rule.name, { ruleId: rule.id, eventId: row.id });
      total += points;
    }
    return total;
  });
}

/**
 * Takes back decayed points that are due, oldest first, a batch at a time. Reads only
 * the due end of an index of awards still to expire: no scan of contacts or awards.
 */
export async function expireDueAwards(db: Db, limit = 200): Promise<number> {
  return transaction(db, async (tx) => {
    const rows = await claimDueAwards(tx, limit);
    for (const a of rows) {
      await markAwardExpired(tx, a.id);
      await changeScore(tx, a.contact_id, -a.points, `${a.name} (expired)`, { ruleId: a.rule_id, decay: true });
    }
    return rows.length;
  });
}

/** A contact's awarded points that decay has still to take back, soonest first (the profile's score panel). */
export async function decayingAwards(db: Queryable, contactId: string): Promise<{ rule: string; points: number; awardedAt: string; expiresAt: string }[]> {
  return (await decayingAwardRows(db, contactId)).map((r) => ({ rule: r.name, points: r.points, awardedAt: r.awarded_at.toISOString(), expiresAt: r.expires_at.toISOString() }));
}
