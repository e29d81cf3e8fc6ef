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
import { activeSegmentRows, type SegmentRow } from '../../storage/segments.js';
import {
  addMember, claimDueRechecks, clearMembers, forgetRecheck, lockContactSegments, membershipOf, planRecheck, rebuildMembers, removeMember, storedMemberships,
} from '../../storage/segment-members.js';

export type { SegmentRow } from '../../storage/segments.js';

export const SEGMENT_ENTERED = 'tend.segment_entered';
export const SEGMENT_LEFT = 'tend.segment_left';
/** Written by identity merges: the survivor's facts and fields both changed. */
const CONTACTS_MERGED = 'tend.contacts_merged';

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
    const segments = activeSegmentRows(db).then((rows) => rows.map(liveSegment));
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
 * Evaluates one contact in the given segments (one statement), stores the difference
 * and records it as events, then plans the next time-driven re-check. Inside the
 * caller's transaction; contacts are serialised by an advisory lock.
 */
export async function refreshContact(tx: pg.PoolClient, contactId: string, segments: LiveSegment[], now = new Date()): Promise<{ entered: string[]; left: string[] }> {
  const changed = { entered: [] as string[], left: [] as string[] };
  if (!segments.length) return changed;
  await lockContactSegments(tx, contactId);
  const member = await membershipOf(tx, contactId, segments.map((s) => s.row.condition), now);
  if (!member) return changed;
  const current = await storedMemberships(tx, contactId, segments.map((s) => s.row.id));
  for (const [i, s] of segments.entries()) {
    const properties = { segment: s.row.key, segmentId: s.row.id, name: s.row.name };
    if (member[i] && !current.has(s.row.id)) {
      await addMember(tx, s.row.id, contactId);
      await appendEvent(tx, { contactId, type: SEGMENT_ENTERED, source: 'tend', dispatch: true, properties });
      changed.entered.push(s.row.key);
    } else if (!member[i] && current.has(s.row.id)) {
      await removeMember(tx, s.row.id, contactId);
      await appendEvent(tx, { contactId, type: SEGMENT_LEFT, source: 'tend', dispatch: true, properties });
      changed.left.push(s.row.key);
    }
    await planRecheck(tx, s.row.id, s.windowed, contactId, now);
  }
  return changed;
}

/** Called for each dispatched event, before programs see it. */
export async function refreshForEvent(db: Db, contactId: string, eventType: string): Promise<void> {
  const segments = affectedBy(await activeSegments(db), eventType);
  if (segments.length) await transaction(db, (tx) => refreshContact(tx, contactId, segments));
}

/** Re-evaluates the contacts whose windows moved; returns how many were due. */
export async function recheckDue(db: Db, limit = 200): Promise<number> {
  return transaction(db, async (tx) => {
    const due = await claimDueRechecks(tx, limit);
    if (!due.length) return 0;
    const byId = new Map((await activeSegments(tx)).map((s) => [s.row.id, s]));
    for (const r of due) {
      const s = byId.get(r.segment_id);
      // refreshContact plans the next re-check, which replaces this row.
      if (s) await refreshContact(tx, r.contact_id, [s]);
      else await forgetRecheck(tx, r.segment_id, r.contact_id);
    }
    return due.length;
  });
}

/**
 * Sets a new or changed segment's members from everyone, in one statement, and plans
 * the re-checks of every contact with events inside its windows. Quietly: no entered /
 * left events, so defining a segment does not start programs for everyone already in
 * it (only contacts who enter afterwards do).
 */
export async function rebuildSegment(tx: pg.PoolClient, s: LiveSegment, now = new Date()): Promise<number> {
  return rebuildMembers(tx, s.row.id, s.row.condition, s.windowed, now);
}

/** Members leave a switched-off segment without events, and it is re-checked no more. */
export async function clearSegment(tx: Queryable, segmentId: string): Promise<void> {
  await clearMembers(tx, segmentId);
}
