// Plain-text settings made once on first start (the signing keyring and its rotation
// date among them), kept as strings rather than settings.ts's JSON documents.
import type { Queryable } from './db.js';

/** The setting's value, stored as `value` first if it had none. */
export async function settingOrInsert(db: Queryable, key: string, value: string): Promise<string> {
  await db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING', [key, value]);
  return (await db.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key])).rows[0].value;
}

export async function previousSigningSecret(db: Queryable): Promise<string | undefined> {
  return (await db.query<{ value: string }>("SELECT value FROM settings WHERE key = 'signing_secret_previous'")).rows[0]?.value;
}

/** The current secret becomes the previous, `secret` the current; `rotatedAtKey` notes when. */
export async function rotateSigningSecrets(db: Queryable, secret: string, rotatedAtKey: string, rotatedAt: string): Promise<void> {
  await db.query(
    `WITH cur AS (SELECT value FROM settings WHERE key = 'signing_secret')
     INSERT INTO settings (key, value) SELECT 'signing_secret_previous', value FROM cur
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
  );
  await db.query("INSERT INTO settings (key, value) VALUES ('signing_secret', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [secret]);
  await db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [rotatedAtKey, rotatedAt]);
}

/** The previous secret's and the rotation date's rows, those that exist. */
export async function signingSecretRows(db: Queryable, rotatedAtKey: string): Promise<{ key: string; value: string }[]> {
  const { rows } = await db.query<{ key: string; value: string }>("SELECT key, value FROM settings WHERE key IN ('signing_secret_previous', $1)", [rotatedAtKey]);
  return rows;
}
