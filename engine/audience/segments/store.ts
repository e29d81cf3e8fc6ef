// Segments as data: a key (what programs and conditions name), a name and a condition
// in the language of if/else nodes, plus facts about past events. Switched off rather
// than deleted, so past entered / left events keep their meaning.
import { Type, type Static } from '@sinclair/typebox';
import type { Db, Queryable } from '../../storage/db.js';
import { transaction } from '../../storage/db.js';
import { Condition } from '../../plugin/condition-schema.js';
import { conditionProblems, type Condition as ConditionValue } from '../../plugin/conditions.js';
import { toContact, type ContactRow } from '../../storage/contacts.js';
import type { Contact } from '../../plugin/index.js';
import { clearSegment, forgetSegments, liveSegment, memberSql, rebuildSegment, type SegmentRow } from './membership.js';
import { conditionSql, Params } from './sql.js';
import { isUuid } from '../../ops/uuid.js';
import { noteSegmentSize } from './sizes.js';

export const SEGMENT_KEY = '^[a-z0-9][a-z0-9_-]{0,62}$';

export const SegmentInput = Type.Object(
  {
    key: Type.String({ pattern: SEGMENT_KEY, description: 'Stable name used by programs and conditions (contact.segments), e.g. big-spenders' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    condition: Condition,
  },
  { additionalProperties: false },
);
export type SegmentInput = Static<typeof SegmentInput>;

export const PreviewInput = Type.Object({ condition: Condition, sample: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })) }, { additionalProperties: false });

export interface Segment {
  id: string;
  key: string;
  name: string;
  description: string;
  condition: ConditionValue;
  active: boolean;
  members: number;
  createdAt: string;
  updatedAt: string;
}

function toSegment(r: SegmentRow & { members?: string | number }): Segment {
  return { id: r.id, key: r.key, name: r.name, description: r.description, condition: r.condition, active: r.active, members: Number(r.members ?? 0), createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString() };
}

/** Fields a segment may read: the contact's, not another segment's (membership must not depend on itself). */
function mentionsSegments(cond: ConditionValue): boolean {
  if ('all' in cond) return cond.all.some(mentionsSegments);
  if ('any' in cond) return cond.any.some(mentionsSegments);
  if ('not' in cond) return mentionsSegments(cond.not);
  return 'field' in cond && (cond.field === 'contact.segments' || cond.field.startsWith('contact.segments.'));
}

export function segmentConditionProblems(cond: ConditionValue, path: string): { path: string; message: string }[] {
  const problems = conditionProblems(cond, path, { facts: true, roots: ['contact'] });
  if (mentionsSegments(cond)) problems.push({ path, message: 'a segment cannot depend on segment membership (contact.segments)' });
  return problems;
}

// A deleted segment keeps its row (inactive) but is gone from every answer.
const WITH_COUNT = 'SELECT s.*, (SELECT count(*) FROM segment_members m WHERE m.segment_id = s.id) AS members FROM segments s WHERE s.active';

export async function listSegments(db: Queryable): Promise<Segment[]> {
  return (await db.query<SegmentRow>(`${WITH_COUNT} ORDER BY s.created_at, s.id`)).rows.map(toSegment);
}

/** By id or by key. */
export async function getSegment(db: Queryable, idOrKey: string): Promise<Segment | undefined> {
  const column = isUuid(idOrKey) ? 's.id' : 's.key';
  const row = (await db.query<SegmentRow>(`${WITH_COUNT} AND ${column} = $1`, [idOrKey])).rows[0];
  return row ? toSegment(row) : undefined;
}

/** Stores the segment and its first members in one transaction. Undefined when the key is taken. */
export async function insertSegment(db: Db, input: SegmentInput): Promise<Segment | undefined> {
  const id = await transaction(db, async (tx) => {
    const { rows } = await tx.query<SegmentRow>(
      // The key of a deleted segment may be used again: that row comes back with the new definition.
      `INSERT INTO segments (key, name, description, condition) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, condition = EXCLUDED.condition, active = true, created_at = now(), updated_at = now()
       WHERE NOT segments.active RETURNING *`,
      [input.key, input.name, input.description ?? '', JSON.stringify(input.condition)],
    );
    if (!rows[0]) return undefined;
    await rebuildSegment(tx, liveSegment(rows[0]));
    await noteSegmentSize(tx, rows[0].id);
    return rows[0].id;
  });
  forgetSegments();
  return id ? getSegment(db, id) : undefined;
}

export type UpdateResult = Segment | 'missing' | 'key taken';

export async function updateSegment(db: Db, id: string, input: SegmentInput): Promise<UpdateResult> {
  const result = await transaction(db, async (tx) => {
    const taken = await tx.query('SELECT 1 FROM segments WHERE key = $1 AND id <> $2', [input.key, id]);
    if (taken.rows.length) return 'key taken' as const;
    const { rows } = await tx.query<SegmentRow>(
      'UPDATE segments SET key = $2, name = $3, description = $4, condition = $5, updated_at = now() WHERE id = $1 AND active RETURNING *',
      [id, input.key, input.name, input.description ?? '', JSON.stringify(input.condition)],
    );
    if (!rows[0]) return 'missing' as const;
    await rebuildSegment(tx, liveSegment(rows[0]));
    await noteSegmentSize(tx, rows[0].id);
    return rows[0].id;
  });
  forgetSegments();
  if (result === 'missing' || result === 'key taken') return result;
  return (await getSegment(db, result))!;
}

/** Deletes a segment: its members are cleared and it leaves the API; its key may be used again. */
export async function deleteSegment(db: Db, id: string): Promise<boolean> {
  const done = await transaction(db, async (tx) => {
    const changed = ((await tx.query('UPDATE segments SET active = false, updated_at = now() WHERE id = $1 AND active', [id])).rowCount ?? 0) > 0;
    if (changed) await clearSegment(tx, id);
    return changed;
  });
  forgetSegments();
  return done;
}

/** How many contacts a condition holds for right now, and some of them, without storing anything. */
export async function previewCondition(db: Queryable, condition: ConditionValue, sample = 10): Promise<{ count: number; sample: Contact[] }> {
  const params = new Params();
  const predicate = memberSql(conditionSql(condition, params, new Date()));
  const count = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM contacts c WHERE ${predicate}`, params.values)).rows[0]!.n);
  const limit = params.add(sample);
  const rows = sample > 0 ? (await db.query<ContactRow>(`SELECT c.* FROM contacts c WHERE ${predicate} ORDER BY c.created_at DESC, c.id LIMIT ${limit}`, params.values)).rows : [];
  return { count, sample: rows.map(toContact) };
}

export async function segmentMembers(db: Queryable, segmentId: string, limit: number, offset: number): Promise<Contact[]> {
  const { rows } = await db.query<ContactRow>(
    'SELECT c.* FROM segment_members m JOIN contacts c ON c.id = m.contact_id WHERE m.segment_id = $1 ORDER BY m.entered_at, c.id LIMIT $2 OFFSET $3',
    [segmentId, limit, offset],
  );
  return rows.map(toContact);
}
