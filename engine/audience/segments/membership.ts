// Live segment membership. When something about a contact changes (any dispatched
// event of theirs: an attribute, the score, an event a segment counts), the segments
// it can affect are evaluated for that one contact in a single SQL statement; entering
// or leaving records `tend.segment_entered` / `tend.segment_left`, dispatched like any
// event, so programs can start or end on it. Facts with a window ("in the last 90
// days") also change as time passes: each contact gets one due time per such segment,
// when the oldest event in a window leaves it, and the dispatcher's tick re-evaluates
// only what is due. Nobody is re-scanned on a period.
import type pg from 'pg';
import type { Db, Queryable } from '../../storage/db.js';
import { transaction } from '../../storage/db.js';
import { appendEvent } from '../../storage/events.js';
import { factsIn, type Condition, type Fact } from '../../plugin/conditions.js';
import { durationMs } from '../../plugin/duration.js';
import { conditionSql, factEventsSql, Params } from './sql.js';

export const SEGMENT_ENTERED = 'tend.segment_entered';
export const SEGMENT_LEFT = 'tend.segment_left';
/** Written by identity merges: the survivor's facts and fields both changed. */
const CONTACTS_MERGED = 'tend.contacts_merged';

export interface SegmentRow {
  id: string;
  key: string;
  name: string;
  description: string;
  condition: Condition;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

/** A segment with what it depends on, worked out once. */
export interface LiveSegment {
  row: SegmentRow;
  /** Event types its facts count: such an event re-evaluates it. */
  eventTypes: Set<string>;
  /** It reads contact fields: any change to the contact re-evaluates it. */
  usesContact: boolean;
  /** Facts with a window: time passing can change the answer. */
  windowed: Fact[];
}

function usesContactFields(cond: Condition): boolean {
  if ('all' in cond) return cond.all.some(usesContactFields);
  if ('any' in cond) return cond.any.some(usesContactFields);
  if ('not' in cond) return usesContactFields(cond.not);
  return !('fact' in cond);
}

export function liveSegment(row: SegmentRow): LiveSegment {
  const facts = factsIn(row.condition);
  return { row, eventTypes: new Set(facts.map((f) => f.event)), usesContact: usesContactFields(row.condition), windowed: facts.filter((f) => f.within) };
}

/** Active segments, read at most every two seconds (every dispatched event asks). */
let cache: { at: number; segments: Promise<LiveSegment[]> } | undefined;
const CACHE_MS = 2000;

export function forgetSegments(): void {
  cache = undefined;
}

export async function activeSegments(db: Queryable): Promise<LiveSegment[]> {
  if (!cache || Date.now() - cache.at > CACHE_MS) {
    const segments = db.query<SegmentRow>('SELECT * FROM segments WHERE active ORDER BY created_at, id').then((r) => r.rows.map(liveSegment));
    cache = { at: Date.now(), segments };
    segments.catch(() => (cache = undefined));
  }
  return cache.segments;
}

/** The segments an event of this type can move a contact into or out of. */
export function affectedBy(segments: LiveSegment[], eventType: string): LiveSegment[] {
  if (eventType === SEGMENT_ENTERED || eventType === SEGMENT_LEFT) return []; // segments do not read segments
  if (eventType === CONTACTS_MERGED) return segments;
  return segments.filter((s) => s.usesContact || s.eventTypes.has(eventType));
}

/**
 * A contact is a member when the condition holds and it is not a merged visitor's shell
 * (engine/audience/identity.ts): the contact that absorbed it is the one that counts.
 */
export const memberSql = (condition: string) => `(c.merged_into IS NULL AND ${condition})`;

/**
 * Evaluates one contact in the given segments (one statement), stores the difference
 * and records it as events, then plans the next time-driven re-check. Inside the
 * caller's transaction; contacts are serialised by an advisory lock.
 */
export async function refreshContact(tx: pg.PoolClient, contactId: string, segments: LiveSegment[], now = new Date()): Promise<{ entered: string[]; left: string[] }> {
  const changed = { entered: [] as string[], left: [] as string[] };
  if (!segments.length) return changed;
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`segments:${contactId}`]);
  const params = new Params();
  const id = params.add(contactId);
  const predicates = segments.map((s) => memberSql(conditionSql(s.row.condition, params, now)));
  const { rows } = await tx.query<{ member: boolean[] }>(`SELECT ARRAY[${predicates.join(', ')}]::boolean[] AS member FROM contacts c WHERE c.id = ${id}`, params.values);
  if (!rows[0]) return changed;
  const member = rows[0].member;
  const current = new Set(
    (await tx.query<{ segment_id: string }>('SELECT segment_id FROM segment_members WHERE contact_id = $1 AND segment_id = ANY($2)', [contactId, segments.map((s) => s.row.id)])).rows.map((r) => r.segment_id),
  );
  for (const [i, s] of segments.entries()) {
    const properties = { segment: s.row.key, segmentId: s.row.id, name: s.row.name };
    if (member[i] && !current.has(s.row.id)) {
      await tx.query('INSERT INTO segment_members (segment_id, contact_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [s.row.id, contactId]);
      await appendEvent(tx, { contactId, type: SEGMENT_ENTERED, source: 'tend', dispatch: true, properties });
      changed.entered.push(s.row.key);
    } else if (!member[i] && current.has(s.row.id)) {
      await tx.query('DELETE FROM segment_members WHERE segment_id = $1 AND contact_id = $2', [s.row.id, contactId]);
      await appendEvent(tx, { contactId, type: SEGMENT_LEFT, source: 'tend', dispatch: true, properties });
      changed.left.push(s.row.key);
    }
    await planRecheck(tx, s, contactId, now);
  }
  return changed;
}

/** When the oldest event inside one of the segment's windows leaves it, the answer may change. */
async function planRecheck(tx: Queryable, s: LiveSegment, contactId: string, now: Date): Promise<void> {
  if (!s.windowed.length) return;
  const params = new Params();
  const id = params.add(contactId);
  const candidates = s.windowed.map((f) => `(SELECT min(e.occurred_at) ${factEventsSql(f, params, now, id)}) + make_interval(secs => ${params.add(durationMs(f.within!) / 1000)}::double precision)`);
  const due = (await tx.query<{ due: Date | null }>(`SELECT LEAST(${candidates.join(', ')}) AS due`, params.values)).rows[0]!.due;
  if (due) {
    await tx.query(
      'INSERT INTO segment_rechecks (segment_id, contact_id, due_at) VALUES ($1, $2, $3) ON CONFLICT (segment_id, contact_id) DO UPDATE SET due_at = EXCLUDED.due_at',
      [s.row.id, contactId, due],
    );
  } else {
    await tx.query('DELETE FROM segment_rechecks WHERE segment_id = $1 AND contact_id = $2', [s.row.id, contactId]);
  }
}

/** Called for each dispatched event, before programs see it. */
export async function refreshForEvent(db: Db, contactId: string, eventType: string): Promise<void> {
  const segments = affectedBy(await activeSegments(db), eventType);
  if (segments.length) await transaction(db, (tx) => refreshContact(tx, contactId, segments));
}

/** Re-evaluates the contacts whose windows moved; returns how many were due. */
export async function recheckDue(db: Db, limit = 200): Promise<number> {
  return transaction(db, async (tx) => {
    const due = await tx.query<{ segment_id: string; contact_id: string }>(
      'SELECT segment_id, contact_id FROM segment_rechecks WHERE due_at <= now() ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED',
      [limit],
    );
    if (!due.rows.length) return 0;
    const byId = new Map((await activeSegments(tx)).map((s) => [s.row.id, s]));
    for (const r of due.rows) {
      const s = byId.get(r.segment_id);
      // refreshContact plans the next re-check, which replaces this row.
      if (s) await refreshContact(tx, r.contact_id, [s]);
      else await tx.query('DELETE FROM segment_rechecks WHERE segment_id = $1 AND contact_id = $2', [r.segment_id, r.contact_id]);
    }
    return due.rows.length;
  });
}

/**
 * Sets a new or changed segment's members from everyone, in one statement, and plans
 * the re-checks of every contact with events inside its windows. Quietly: no entered /
 * left events, so defining a segment does not start programs for everyone already in
 * it (only contacts who enter afterwards do).
 */
export async function rebuildSegment(tx: pg.PoolClient, s: LiveSegment, now = new Date()): Promise<number> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`segment:${s.row.id}`]);
  await tx.query('DELETE FROM segment_rechecks WHERE segment_id = $1', [s.row.id]);
  const params = new Params();
  const id = params.add(s.row.id);
  const predicate = memberSql(conditionSql(s.row.condition, params, now));
  await tx.query(`DELETE FROM segment_members m WHERE m.segment_id = ${id} AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = m.contact_id AND ${predicate})`, params.values);
  const inserted = await tx.query(`INSERT INTO segment_members (segment_id, contact_id) SELECT ${id}, c.id FROM contacts c WHERE ${predicate} ON CONFLICT DO NOTHING`, params.values);
  for (const f of s.windowed) {
    const p = new Params();
    const sid = p.add(s.row.id);
    await tx.query(
      `INSERT INTO segment_rechecks (segment_id, contact_id, due_at)
       SELECT ${sid}, e.contact_id, min(e.occurred_at) + make_interval(secs => ${p.add(durationMs(f.within!) / 1000)}::double precision) ${factEventsSql(f, p, now, null)} GROUP BY e.contact_id
       ON CONFLICT (segment_id, contact_id) DO UPDATE SET due_at = LEAST(segment_rechecks.due_at, EXCLUDED.due_at)`,
      p.values,
    );
  }
  return inserted.rowCount ?? 0;
}

/** Members leave a switched-off segment without events, and it is re-checked no more. */
export async function clearSegment(tx: Queryable, segmentId: string): Promise<void> {
  await tx.query('DELETE FROM segment_rechecks WHERE segment_id = $1', [segmentId]);
  await tx.query('DELETE FROM segment_members WHERE segment_id = $1', [segmentId]);
}
