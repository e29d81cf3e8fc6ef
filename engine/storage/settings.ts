// Tend's own settings: one JSON document per key in the settings table (the messaging
// policy, stages, RFM, …). One place that reads and writes them.
import type { Queryable } from './db.js';

export async function readSetting<T>(db: Queryable, key: string): Promise<T | undefined> {
  const row = (await db.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key])).rows[0];
  return row ? (JSON.parse(row.value) as T) : undefined;
}

export async function writeSetting(db: Queryable, key: string, value: unknown): Promise<void> {
  await db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [key, JSON.stringify(value)]);
}
