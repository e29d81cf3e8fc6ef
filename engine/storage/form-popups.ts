// Forms' pop-up settings in PostgreSQL: one row per form (engine/delivery/form-popups.ts says
// what it holds); only forms in use are served.
import type { Queryable } from './db.js';

/** A pop-up's settings as stored: their shape is engine/delivery/form-popups.ts's, checked there first; JSON here. */
export type StoredPopupInput = Record<string, unknown>;
export type StoredPopup<P extends StoredPopupInput = StoredPopupInput> = P & { formId: string; updatedAt: string };

interface PopupRow { form_id: string; definition: StoredPopupInput; updated_at: Date }

const toPopup = <P extends StoredPopupInput>(r: PopupRow): StoredPopup<P> => ({ ...(r.definition as P), formId: r.form_id, updatedAt: r.updated_at.toISOString() });

export async function savePopup<P extends StoredPopupInput>(db: Queryable, formId: string, popup: P): Promise<StoredPopup<P>> {
  const { rows } = await db.query<PopupRow>(
    `INSERT INTO form_popups (form_id, definition) VALUES ($1, $2)
     ON CONFLICT (form_id) DO UPDATE SET definition = EXCLUDED.definition, updated_at = now() RETURNING *`,
    [formId, JSON.stringify(popup)],
  );
  return toPopup<P>(rows[0]!);
}

export async function getPopup<P extends StoredPopupInput = StoredPopupInput>(db: Queryable, formId: string): Promise<StoredPopup<P> | undefined> {
  const { rows } = await db.query<PopupRow>('SELECT * FROM form_popups WHERE form_id = $1', [formId]);
  return rows[0] ? toPopup<P>(rows[0]) : undefined;
}

export async function deletePopup(db: Queryable, formId: string): Promise<boolean> {
  return ((await db.query('DELETE FROM form_popups WHERE form_id = $1', [formId])).rowCount ?? 0) > 0;
}

/** Every active pop-up of a form in use, for the serving cache. */
export async function livePopups<P extends StoredPopupInput = StoredPopupInput>(db: Queryable): Promise<StoredPopup<P>[]> {
  const { rows } = await db.query<PopupRow>(
    `SELECT p.* FROM form_popups p JOIN forms f ON f.id = p.form_id
      WHERE f.archived_at IS NULL AND (p.definition->>'active')::boolean ORDER BY p.created_at, p.form_id`,
  );
  return rows.map((r) => toPopup<P>(r));
}

/** The keys of the segments in use: what a pop-up may name. */
export async function liveSegmentKeys(db: Queryable): Promise<Set<string>> {
  return new Set((await db.query<{ key: string }>('SELECT key FROM segments WHERE active')).rows.map((r) => r.key));
}
