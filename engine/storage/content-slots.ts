// Content slots in PostgreSQL: one row per slot, its default and variants as one JSON
// document (engine/delivery/content-slots.ts says what it holds). Archived, never deleted, so
// events keep naming a slot; the key is unique among slots in use.
import type { Queryable } from './db.js';

/**
 * A slot as stored. Its variants' shape (rules and HTML) is engine/delivery/content-slots.ts's,
 * checked there before a slot gets here; storage keeps them as JSON, typed by the caller.
 */
export interface StoredSlotInput<V = unknown> { key: string; name: string; defaultHtml?: string | null; variants: V[] }
export interface StoredSlot<V = unknown> { id: string; key: string; name: string; defaultHtml: string | null; variants: V[]; createdAt: string; updatedAt: string }

interface SlotRow {
  id: string;
  key: string;
  name: string;
  definition: { defaultHtml?: string | null; variants: unknown[] };
  created_at: Date;
  updated_at: Date;
}

const toSlot = <V>(r: SlotRow): StoredSlot<V> => ({
  id: r.id, key: r.key, name: r.name, defaultHtml: r.definition.defaultHtml ?? null, variants: r.definition.variants as V[],
  createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
});

const definition = (s: StoredSlotInput) => JSON.stringify({ defaultHtml: s.defaultHtml ?? null, variants: s.variants });

/** Whether a unique-key violation: another slot in use has the key. */
const keyTaken = (e: unknown) => (e as { code?: string }).code === '23505';

export async function insertContentSlot<V>(db: Queryable, slot: StoredSlotInput<V>): Promise<StoredSlot<V> | 'key taken'> {
  try {
    const { rows } = await db.query<SlotRow>('INSERT INTO content_slots (key, name, definition) VALUES ($1, $2, $3) RETURNING *', [slot.key, slot.name, definition(slot)]);
    return toSlot<V>(rows[0]!);
  } catch (e) {
    if (keyTaken(e)) return 'key taken';
    throw e;
  }
}

export async function updateContentSlot<V>(db: Queryable, id: string, slot: StoredSlotInput<V>): Promise<StoredSlot<V> | 'missing' | 'key taken'> {
  try {
    const { rows } = await db.query<SlotRow>('UPDATE content_slots SET key = $2, name = $3, definition = $4, updated_at = now() WHERE id = $1 AND archived_at IS NULL RETURNING *', [id, slot.key, slot.name, definition(slot)]);
    return rows[0] ? toSlot<V>(rows[0]) : 'missing';
  } catch (e) {
    if (keyTaken(e)) return 'key taken';
    throw e;
  }
}

export async function getContentSlot<V = unknown>(db: Queryable, id: string): Promise<StoredSlot<V> | undefined> {
  const { rows } = await db.query<SlotRow>('SELECT * FROM content_slots WHERE id = $1 AND archived_at IS NULL', [id]);
  return rows[0] ? toSlot<V>(rows[0]) : undefined;
}

export async function listContentSlots<V = unknown>(db: Queryable): Promise<StoredSlot<V>[]> {
  return (await db.query<SlotRow>('SELECT * FROM content_slots WHERE archived_at IS NULL ORDER BY name, id')).rows.map((r) => toSlot<V>(r));
}

export async function archiveContentSlot(db: Queryable, id: string): Promise<boolean> {
  return ((await db.query('UPDATE content_slots SET archived_at = now() WHERE id = $1 AND archived_at IS NULL', [id])).rowCount ?? 0) > 0;
}

export interface VariantFigures { variant: string; shown: number; clicked: number }

/** Impressions and clicks of a slot per variant over the last `days` (its content_shown / content_clicked events). */
export async function contentSlotStats(db: Queryable, key: string, days: number): Promise<VariantFigures[]> {
  const { rows } = await db.query<{ variant: string; shown: string; clicked: string }>(
    `SELECT properties->>'variant' AS variant, count(*) FILTER (WHERE type = 'content_shown') AS shown, count(*) FILTER (WHERE type = 'content_clicked') AS clicked
       FROM events WHERE type IN ('content_shown', 'content_clicked') AND properties->>'slot' = $1 AND occurred_at > now() - make_interval(days => $2)
      GROUP BY 1 ORDER BY 1`,
    [key, days],
  );
  return rows.map((r) => ({ variant: r.variant ?? '', shown: Number(r.shown), clicked: Number(r.clicked) }));
}

/** What visitors are shown: every slot in use, keyed by its key, for the serving cache. */
export async function liveContentSlots<V = unknown>(db: Queryable): Promise<Map<string, { defaultHtml?: string | null; variants: V[] }>> {
  const { rows } = await db.query<Pick<SlotRow, 'key' | 'definition'>>('SELECT key, definition FROM content_slots WHERE archived_at IS NULL');
  return new Map(rows.map((r) => [r.key, r.definition as { defaultHtml?: string | null; variants: V[] }]));
}
