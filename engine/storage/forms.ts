// Form definitions (`forms`: the definition as JSON, archived rather than deleted), and
// the event type a stored submission is recorded as, which form statistics count.
import type { Queryable } from './db.js';

export const FORM_SUBMITTED = 'form_submitted';

export interface FormRow<D> {
  id: string;
  name: string;
  definition: D;
  created_at: Date;
  updated_at: Date;
}

export async function insertFormRow<D extends { name: string }>(db: Queryable, form: D): Promise<FormRow<D>> {
  const { rows } = await db.query<FormRow<D>>('INSERT INTO forms (name, definition) VALUES ($1, $2) RETURNING *', [form.name, JSON.stringify(form)]);
  return rows[0]!;
}

export async function updateFormRow<D extends { name: string }>(db: Queryable, id: string, form: D): Promise<FormRow<D> | undefined> {
  const { rows } = await db.query<FormRow<D>>('UPDATE forms SET name = $2, definition = $3, updated_at = now() WHERE id = $1 AND archived_at IS NULL RETURNING *', [id, form.name, JSON.stringify(form)]);
  return rows[0];
}

export async function formRow<D>(db: Queryable, id: string): Promise<FormRow<D> | undefined> {
  const { rows } = await db.query<FormRow<D>>('SELECT * FROM forms WHERE id = $1 AND archived_at IS NULL', [id]);
  return rows[0];
}

export async function formRows<D>(db: Queryable): Promise<FormRow<D>[]> {
  return (await db.query<FormRow<D>>('SELECT * FROM forms WHERE archived_at IS NULL ORDER BY created_at, id')).rows;
}

/** False when there was no such form, or it was archived already. */
export async function archiveFormRow(db: Queryable, id: string): Promise<boolean> {
  return ((await db.query('UPDATE forms SET archived_at = now() WHERE id = $1 AND archived_at IS NULL', [id])).rowCount ?? 0) > 0;
}
