// Which programs use a segment: a trigger on entering or leaving it, or a condition on
// membership ("contact.segments contains vip") anywhere in a node's configuration, in
// the draft or in the live version. Before a segment is changed or deleted, its users
// are who to ask.
import type { Queryable } from '../../storage/db.js';
import { programsMentioning } from '../../storage/segments.js';

interface Doc { nodes?: { id: string; config?: unknown }[] }

/** Whether a node's configuration names the segment, at any depth. */
function mentions(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((v) => mentions(v, key));
  if (!value || typeof value !== 'object') return false;
  const o = value as Record<string, unknown>;
  if (o.segment === key) return true;
  if (o.field === 'contact.segments' && (o.value === key || (Array.isArray(o.value) && o.value.includes(key)))) return true;
  return Object.values(o).some((v) => mentions(v, key));
}

export const nodesUsing = (doc: Doc | null | undefined, key: string): string[] => (doc?.nodes ?? []).filter((n) => mentions(n.config, key)).map((n) => n.id);

export interface SegmentUser { id: string; name: string; status: string; draft: string[]; live: string[] }

export async function programsUsingSegment(db: Queryable, key: string): Promise<SegmentUser[]> {
  // The text match only narrows the rows read (a key may also appear in an email's
  // wording); the walk over each node's configuration decides.
  const rows = await programsMentioning<Doc>(db, key);
  return rows
    .map((r) => ({ id: r.id, name: r.name, status: r.status, draft: nodesUsing(r.draft, key), live: nodesUsing(r.live, key) }))
    .filter((u) => u.draft.length > 0 || u.live.length > 0);
}
