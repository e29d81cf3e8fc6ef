// Segment definitions (`segments`: key, name, condition, switched off rather than
// deleted), with their member counts; previews of a condition over every contact.
import type { Queryable } from './db.js';
import type { Condition } from '../plugin/conditions.js';
import { isUuid } from '../ops/uuid.js';
import type { ContactRow } from './contact-row.js';
import { conditionSql, Params } from './condition-sql.js';
import { memberSql } from './segment-members.js';

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

export interface SegmentFields {
  key: string;
  name: string;
  description?: string;
  condition: Condition;
}

export async function activeSegmentRows(db: Queryable): Promise<SegmentRow[]> {
  return (await db.query<SegmentRow>('SELECT * FROM segments WHERE active ORDER BY created_at, id')).rows;
}

// A deleted segment keeps its row (inactive) but is gone from every answer.
const WITH_COUNT = 'SELECT s.*, (SELECT count(*) FROM segment_members m WHERE m.segment_id = s.id) AS members FROM segments s WHERE s.active';

export type SegmentCountRow = SegmentRow & { members?: string | number };

export async function segmentRowsWithCounts(db: Queryable): Promise<SegmentCountRow[]> {
  return (await db.query<SegmentCountRow>(`${WITH_COUNT} ORDER BY s.created_at, s.id`)).rows;
}

/** By id or by key. */
export async function segmentRowWithCount(db: Queryable, idOrKey: string): Promise<SegmentCountRow | undefined> {
  const column = isUuid(idOrKey) ? 's.id' : 's.key';
  return (await db.query<SegmentCountRow>(`${WITH_COUNT} AND ${column} = $1`, [idOrKey])).rows[0];
}

/** Undefined when an active segment has the key; the key of a deleted one is taken over. */
export async function insertSegmentRow(db: Queryable, input: SegmentFields): Promise<SegmentRow | undefined> {
  const { rows } = await db.query<SegmentRow>(
    // The key of a deleted segment may be used again: that row comes back with the new definition.
    `INSERT INTO segments (key, name, description, condition) VALUES ($1, $2, $3, $4)
     ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, condition = EXCLUDED.condition, active = true, created_at = now(), updated_at = now()
     WHERE NOT segments.active RETURNING *`,
    [input.key, input.name, input.description ?? '', JSON.stringify(input.condition)],
  );
  return rows[0];
}

/** Whether another segment (active or not) has the key. */
export async function keyTaken(db: Queryable, key: string, id: string): Promise<boolean> {
  const taken = await db.query('SELECT 1 FROM segments WHERE key = $1 AND id <> $2', [key, id]);
  return taken.rows.length > 0;
}

export async function updateSegmentRow(db: Queryable, id: string, input: SegmentFields): Promise<SegmentRow | undefined> {
  const { rows } = await db.query<SegmentRow>(
    'UPDATE segments SET key = $2, name = $3, description = $4, condition = $5, updated_at = now() WHERE id = $1 AND active RETURNING *',
    [id, input.key, input.name, input.description ?? '', JSON.stringify(input.condition)],
  );
  return rows[0];
}

/** Switches the segment off; false when it was not active. */
export async function deactivateSegment(db: Queryable, id: string): Promise<boolean> {
  return ((await db.query('UPDATE segments SET active = false, updated_at = now() WHERE id = $1 AND active', [id])).rowCount ?? 0) > 0;
}

/** How many contacts a condition holds for right now, and the newest `sample` of them. */
export async function conditionPreview(db: Queryable, condition: Condition, sample: number): Promise<{ count: number; sample: ContactRow[] }> {
  const params = new Params();
  const predicate = memberSql(conditionSql(condition, params, new Date()));
  const count = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM contacts c WHERE ${predicate}`, params.values)).rows[0]!.n);
  const limit = params.add(sample);
  const rows = sample > 0 ? (await db.query<ContactRow>(`SELECT c.* FROM contacts c WHERE ${predicate} ORDER BY c.created_at DESC, c.id LIMIT ${limit}`, params.values)).rows : [];
  return { count, sample: rows };
}

export async function segmentMemberRows(db: Queryable, segmentId: string, limit: number, offset: number): Promise<ContactRow[]> {
  const { rows } = await db.query<ContactRow>(
    'SELECT c.* FROM segment_members m JOIN contacts c ON c.id = m.contact_id WHERE m.segment_id = $1 ORDER BY m.entered_at, c.id LIMIT $2 OFFSET $3',
    [segmentId, limit, offset],
  );
  return rows;
}

/** Programs (not archived) whose draft or live version mentions the key anywhere in its text. */
export async function programsMentioning<Doc>(db: Queryable, key: string): Promise<{ id: string; name: string; status: string; draft: Doc; live: Doc | null }[]> {
  // The text match only narrows the rows read (a key may also appear in an email's wording).
  const { rows } = await db.query<{ id: string; name: string; status: string; draft: Doc; live: Doc | null }>(
    `SELECT p.id, p.name, p.status, p.draft, v.document AS live FROM programs p
     LEFT JOIN program_versions v ON v.program_id = p.id AND v.version = p.live_version
     WHERE p.status <> 'archived' AND (strpos(p.draft::text, $1) > 0 OR strpos(v.document::text, $1) > 0)
     ORDER BY p.name, p.id`,
    [key],
  );
  return rows;
}
