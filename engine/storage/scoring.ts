// Lead scoring: the rules (`scoring_rules`, switched off and marked deleted rather than
// removed, so past awards keep their reason), the points each awarded
// (`score_awards`, with their decay), and the contact's score itself.
import type pg from 'pg';
import type { Queryable } from './db.js';
import type { Condition } from '../plugin/conditions.js';

export interface RuleRow {
  id: string;
  name: string;
  event_type: string;
  where: Condition | null;
  points: number;
  cap_points: number | null;
  cap_period: string | null;
  expires_after: string | null;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

/** A rule's columns, in the order the statements below name them. */
export interface RuleFields {
  name: string;
  eventType: string;
  where?: Condition;
  points: number;
  cap?: { points: number; per: string };
  expiresAfter?: string;
  active?: boolean;
}

export async function ruleRows(db: Queryable): Promise<RuleRow[]> {
  return (await db.query<RuleRow>('SELECT * FROM scoring_rules WHERE deleted_at IS NULL ORDER BY created_at, id')).rows;
}

export async function ruleRow(db: Queryable, id: string): Promise<RuleRow | undefined> {
  return (await db.query<RuleRow>('SELECT * FROM scoring_rules WHERE id = $1 AND deleted_at IS NULL', [id])).rows[0];
}

const columns = (r: RuleFields) => [r.name, r.eventType, r.where ? JSON.stringify(r.where) : null, r.points, r.cap?.points ?? null, r.cap?.per ?? null, r.expiresAfter ?? null, r.active ?? true];

export async function insertRuleRow(db: Queryable, r: RuleFields): Promise<RuleRow> {
  const { rows } = await db.query<RuleRow>(
    `INSERT INTO scoring_rules (name, event_type, "where", points, cap_points, cap_period, expires_after, active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
    columns(r),
  );
  return rows[0]!;
}

export async function updateRuleRow(db: Queryable, id: string, r: RuleFields): Promise<RuleRow | undefined> {
  const { rows } = await db.query<RuleRow>(
    `UPDATE scoring_rules SET name = $2, event_type = $3, "where" = $4, points = $5, cap_points = $6, cap_period = $7, expires_after = $8, active = $9, updated_at = now()
     WHERE id = $1 AND deleted_at IS NULL RETURNING *`,
    [id, ...columns(r)],
  );
  return rows[0];
}

/** Switches the rule off and marks it deleted; false when there was no such rule. */
export async function markRuleDeleted(db: Queryable, id: string): Promise<boolean> {
  return ((await db.query('UPDATE scoring_rules SET active = false, deleted_at = now(), updated_at = now() WHERE id = $1 AND deleted_at IS NULL', [id])).rowCount ?? 0) > 0;
}

/** The active rules, oldest first; of one event type when given. */
export async function activeRuleRows(db: Queryable, eventType?: string): Promise<RuleRow[]> {
  if (eventType === undefined) return (await db.query<RuleRow>('SELECT * FROM scoring_rules WHERE active AND deleted_at IS NULL ORDER BY created_at, id')).rows;
  return (await db.query<RuleRow>('SELECT * FROM scoring_rules WHERE active AND deleted_at IS NULL AND event_type = $1 ORDER BY created_at, id', [eventType])).rows;
}

/** Moves a contact's score; returns the new score. */
export async function addToScore(tx: Queryable, contactId: string, delta: number): Promise<number> {
  const { rows } = await tx.query<{ score: number }>('UPDATE contacts SET score = score + $2, updated_at = now() WHERE id = $1 RETURNING score', [contactId, delta]);
  return rows[0]!.score;
}

/** Points one rule gave one contact since `since`. */
export async function pointsAwardedSince(db: Queryable, contactId: string, ruleId: string, since: Date): Promise<number> {
  const { rows: [used] } = await db.query<{ sum: number }>(
    'SELECT coalesce(sum(points), 0)::int AS sum FROM score_awards WHERE contact_id = $1 AND rule_id = $2 AND awarded_at > $3',
    [contactId, ruleId, since],
  );
  return used!.sum;
}

/** Takes the scoring lock of a contact: its awards are decided one at a time. */
export async function lockScore(tx: pg.PoolClient, contactId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`score:${contactId}`]);
}

/** The contact an event belongs to now (a merge may have moved it). */
export async function eventContactId(tx: Queryable, eventId: string): Promise<string | undefined> {
  return (await tx.query<{ contact_id: string }>('SELECT contact_id FROM events WHERE id = $1', [eventId])).rows[0]?.contact_id;
}

/** Stores an award; false when this rule scored this event before. */
export async function insertAward(tx: Queryable, award: { contactId: string; ruleId: string; eventId: string; points: number; expiresAt: Date | null }): Promise<boolean> {
  const inserted = await tx.query(
    'INSERT INTO score_awards (contact_id, rule_id, event_id, points, expires_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (rule_id, event_id) DO NOTHING',
    [award.contactId, award.ruleId, award.eventId, award.points, award.expiresAt],
  );
  return inserted.rowCount !== 0;
}

/** Awards whose decay is due, oldest first, locked for the caller's transaction (others skip them). */
export async function claimDueAwards(tx: pg.PoolClient, limit: number): Promise<{ id: string; contact_id: string; points: number; name: string; rule_id: string }[]> {
  const { rows } = await tx.query<{ id: string; contact_id: string; points: number; name: string; rule_id: string }>(
    `SELECT a.id, a.contact_id, a.points, r.name, a.rule_id FROM score_awards a JOIN scoring_rules r ON r.id = a.rule_id
     WHERE a.expires_at <= now() AND a.expired_at IS NULL AND a.expires_at IS NOT NULL
     ORDER BY a.expires_at LIMIT $1 FOR UPDATE OF a SKIP LOCKED`,
    [limit],
  );
  return rows;
}

export async function markAwardExpired(tx: Queryable, id: string): Promise<void> {
  await tx.query('UPDATE score_awards SET expired_at = now() WHERE id = $1', [id]);
}

/** A contact's awards that decay has still to take back, soonest first (200 at most). */
export async function decayingAwardRows(db: Queryable, contactId: string): Promise<{ name: string; points: number; awarded_at: Date; expires_at: Date }[]> {
  const { rows } = await db.query<{ name: string; points: number; awarded_at: Date; expires_at: Date }>(
    `SELECT r.name, a.points, a.awarded_at, a.expires_at FROM score_awards a JOIN scoring_rules r ON r.id = a.rule_id
     WHERE a.contact_id = $1 AND a.expires_at IS NOT NULL AND a.expired_at IS NULL ORDER BY a.expires_at, a.id LIMIT 200`,
    [contactId],
  );
  return rows;
}
