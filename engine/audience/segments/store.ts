// Segments as data: a key (what programs and conditions name), a name and a condition
// in the language of if/else nodes, plus facts about past events. Switched off rather
// than deleted, so past entered / left events keep their meaning.
import { Type, type Static } from '@sinclair/typebox';
import type { Db, Queryable } from '../../storage/db.js';
import { transaction } from '../../storage/db.js';
import { Condition } from '../../plugin/condition-schema.js';
import { conditionProblems, type Condition as ConditionValue } from '../../plugin/conditions.js';
import { toContact } from '../../storage/contacts.js';
import type { Contact } from '../../plugin/index.js';
import { clearSegment, forgetSegments, liveSegment, rebuildSegment, type SegmentRow } from './membership.js';
import {
  conditionPreview, deactivateSegment, insertSegmentRow, keyTaken, segmentMemberRows, segmentRowWithCount, segmentRowsWithCounts, updateSegmentRow,
} from '../../storage/segments.js';
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

export async function listSegments(db: Queryable): Promise<Segment[]> {
  return (await segmentRowsWithCounts(db)).map(toSegment);
}

/** By id or by key; a deleted segment is gone from every answer. */
export async function getSegment(db: Queryable, idOrKey: string): Promise<Segment | undefined> {
  const row = await segmentRowWithCount(db, idOrKey);
  return row ? toSegment(row) : undefined;
}

/** Stores the segment and its first members in one transaction. Undefined when the key is taken. */
export async function insertSegment(db: Db, input: SegmentInput): Promise<Segment | undefined> {
  const id = await transaction(db, async (tx) => {
    const row = await insertSegmentRow(tx, input);
    if (!row) return undefined;
    await rebuildSegment(tx, liveSegment(row));
    await noteSegmentSize(tx, row.id);
    return row.id;
  });
  forgetSegments();
  return id ? getSegment(db, id) : undefined;
}

export type UpdateResult = Segment | 'missing' | 'key taken';

export async function updateSegment(db: Db, id: string, input: SegmentInput): Promise<UpdateResult> {
  const result = await transaction(db, async (tx) => {
    if (await keyTaken(tx, input.key, id)) return 'key taken' as const;
    const row = await updateSegmentRow(tx, id, input);
    if (!row) return 'missing' as const;
    await rebuildSegment(tx, liveSegment(row));
    await noteSegmentSize(tx, row.id);
    return row.id;
  });
  forgetSegments();
  if (result === 'missing' || result === 'key taken') return result;
  return (await getSegment(db, result))!;
}

/** Deletes a segment: its members are cleared and it leaves the API; its key may be used again. */
export async function deleteSegment(db: Db, id: string): Promise<boolean> {
  const done = await transaction(db, async (tx) => {
    const changed = await deactivateSegment(tx, id);
    if (changed) await clearSegment(tx, id);
    return changed;
  });
  forgetSegments();
  return done;
}

/** How many contacts a condition holds for right now, and some of them, without storing anything. */
export async function previewCondition(db: Queryable, condition: ConditionValue, sample = 10): Promise<{ count: number; sample: Contact[] }> {
  const preview = await conditionPreview(db, condition, sample);
  return { count: preview.count, sample: preview.sample.map(toContact) };
}

export async function segmentMembers(db: Queryable, segmentId: string, limit: number, offset: number): Promise<Contact[]> {
  return (await segmentMemberRows(db, segmentId, limit, offset)).map(toContact);
}
