// Who is in which segment (`segment_members`) and when a member's windowed facts are due
// to be looked at again (`segment_rechecks`): the statements that evaluate a segment's
// condition where the data is, for one contact or for everyone.
import type pg from 'pg';
import type { Queryable } from './db.js';
import type { Condition, Fact } from '../plugin/conditions.js';
import { durationMs } from '../plugin/duration.js';
import { conditionSql, factEventsSql, factValueSql, Params } from './condition-sql.js';

/**
 * A contact is a member when the condition holds and it is not a merged visitor's shell
 * (engine/audience/identity.ts): the contact that absorbed it is the one that counts.
 */
export const memberSql = (condition: string) => `(c.merged_into IS NULL AND ${condition})`;

/** Serialises the membership changes of one contact. */
export async function lockContactSegments(tx: pg.PoolClient, contactId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`segments:${contactId}`]);
}

/** Whether the contact is a member by each condition, in one statement; undefined when there is no such contact. */
export async function membershipOf(tx: Queryable, contactId: string, conditions: Condition[], now: Date): Promise<boolean[] | undefined> {
  const params = new Params();
  const id = params.add(contactId);
  const predicates = conditions.map((condition) => memberSql(conditionSql(condition, params, now)));
  const { rows } = await tx.query<{ member: boolean[] }>(`SELECT ARRAY[${predicates.join(', ')}]::boolean[] AS member FROM contacts c WHERE c.id = ${id}`, params.values);
  return rows[0]?.member;
}

/** Which of these segments the contact is stored as a member of. */
export async function storedMemberships(tx: Queryable, contactId: string, segmentIds: string[]): Promise<Set<string>> {
  const { rows } = await tx.query<{ segment_id: string }>('SELECT segment_id FROM segment_members WHERE contact_id = $1 AND segment_id = ANY($2)', [contactId, segmentIds]);
  return new Set(rows.map((r) => r.segment_id));
}

export async function addMember(tx: Queryable, segmentId: string, contactId: string): Promise<void> {
  await tx.query('INSERT INTO segment_members (segment_id, contact_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [segmentId, contactId]);
}

export async function removeMember(tx: Queryable, segmentId: string, contactId: string): Promise<void> {
  await tx.query('DELETE FROM segment_members WHERE segment_id = $1 AND contact_id = $2', [segmentId, contactId]);
}

/** When the oldest event inside one of the windowed facts leaves its window: the contact's next re-check, or none. */
export async function planRecheck(tx: Queryable, segmentId: string, windowed: Fact[], contactId: string, now: Date): Promise<void> {
  if (!windowed.length) return;
  const params = new Params();
  const id = params.add(contactId);
  const candidates = windowed.map((f) => `(SELECT min(e.occurred_at) ${factEventsSql(f, params, now, id)}) + make_interval(secs => ${params.add(durationMs(f.within!) / 1000)}::double precision)`);
  const due = (await tx.query<{ due: Date | null }>(`SELECT LEAST(${candidates.join(', ')}) AS due`, params.values)).rows[0]!.due;
  if (due) {
    await tx.query(
      'INSERT INTO segment_rechecks (segment_id, contact_id, due_at) VALUES ($1, $2, $3) ON CONFLICT (segment_id, contact_id) DO UPDATE SET due_at = EXCLUDED.due_at',
      [segmentId, contactId, due],
    );
  } else {
    await forgetRecheck(tx, segmentId, contactId);
  }
}

export async function forgetRecheck(tx: Queryable, segmentId: string, contactId: string): Promise<void> {
  await tx.query('DELETE FROM segment_rechecks WHERE segment_id = $1 AND contact_id = $2', [segmentId, contactId]);
}

/** Re-checks that are due, oldest first, locked for the caller's transaction (others skip them). */
export async function claimDueRechecks(tx: pg.PoolClient, limit: number): Promise<{ segment_id: string; contact_id: string }[]> {
  const due = await tx.query<{ segment_id: string; contact_id: string }>(
    'SELECT segment_id, contact_id FROM segment_rechecks WHERE due_at <= now() ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED',
    [limit],
  );
  return due.rows;
}

/**
 * Sets a segment's members from everyone, in one statement, and plans the re-checks of
 * every contact with events inside its windows; returns how many members were added.
 */
export async function rebuildMembers(tx: pg.PoolClient, segmentId: string, condition: Condition, windowed: Fact[], now: Date): Promise<number> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`segment:${segmentId}`]);
  await tx.query('DELETE FROM segment_rechecks WHERE segment_id = $1', [segmentId]);
  const params = new Params();
  const id = params.add(segmentId);
  const predicate = memberSql(conditionSql(condition, params, now));
  await tx.query(`DELETE FROM segment_members m WHERE m.segment_id = ${id} AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = m.contact_id AND ${predicate})`, params.values);
  const inserted = await tx.query(`INSERT INTO segment_members (segment_id, contact_id) SELECT ${id}, c.id FROM contacts c WHERE ${predicate} ON CONFLICT DO NOTHING`, params.values);
  for (const f of windowed) {
    const p = new Params();
    const sid = p.add(segmentId);
    await tx.query(
      `INSERT INTO segment_rechecks (segment_id, contact_id, due_at)
       SELECT ${sid}, e.contact_id, min(e.occurred_at) + make_interval(secs => ${p.add(durationMs(f.within!) / 1000)}::double precision) ${factEventsSql(f, p, now, null)} GROUP BY e.contact_id
       ON CONFLICT (segment_id, contact_id) DO UPDATE SET due_at = LEAST(segment_rechecks.due_at, EXCLUDED.due_at)`,
      p.values,
    );
  }
  return inserted.rowCount ?? 0;
}

/** Members leave the segment without events, and it is re-checked no more. */
export async function clearMembers(tx: Queryable, segmentId: string): Promise<void> {
  await tx.query('DELETE FROM segment_rechecks WHERE segment_id = $1', [segmentId]);
  await tx.query('DELETE FROM segment_members WHERE segment_id = $1', [segmentId]);
}

/** One fact's number for one contact. */
export async function measureFactOf(db: Queryable, contactId: string, fact: Fact, now: Date): Promise<number> {
  const params = new Params();
  const id = params.add(contactId);
  const value = factValueSql(fact, params, now);
  const { rows } = await db.query<{ v: string | null }>(`SELECT ${value} AS v FROM contacts c WHERE c.id = ${id}`, params.values);
  return Number(rows[0]?.v ?? 0);
}
