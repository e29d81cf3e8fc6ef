// Site keys of the tracking snippet (`site_keys`), stored by their SHA-256.
import type { Queryable } from './db.js';

export interface SiteKeyRow {
  id: string;
  name: string;
  prefix: string;
  domains: string[];
  created_at: Date;
  revoked_at: Date | null;
  last_seen_at: Date | null;
  last_page: string | null;
}

export async function insertSiteKey(db: Queryable, name: string, keyHash: string, prefix: string, domains: string[]): Promise<SiteKeyRow> {
  const { rows } = await db.query<SiteKeyRow>('INSERT INTO site_keys (name, key_hash, prefix, domains) VALUES ($1, $2, $3, $4) RETURNING *', [name, keyHash, prefix, domains]);
  return rows[0]!;
}

export async function siteKeyRows(db: Queryable): Promise<SiteKeyRow[]> {
  return (await db.query<SiteKeyRow>('SELECT * FROM site_keys ORDER BY created_at, id')).rows;
}

/** Revoked now, or when it was first revoked; undefined for an unknown id. */
export async function revokeSiteKeyRow(db: Queryable, id: string): Promise<SiteKeyRow | undefined> {
  const { rows } = await db.query<SiteKeyRow>('UPDATE site_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING *', [id]);
  return rows[0];
}

/** Noted unless another process noted it within ten seconds. */
export async function noteSiteKeyPage(db: Queryable, id: string, page: string): Promise<void> {
  await db.query("UPDATE site_keys SET last_seen_at = now(), last_page = $2 WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at < now() - interval '10 seconds')", [id, page]);
}

export async function liveSiteKeyId(db: Queryable, keyHash: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM site_keys WHERE key_hash = $1 AND revoked_at IS NULL', [keyHash]);
  return rows[0]?.id;
}

export async function liveSiteKeyListsHost(db: Queryable, host: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM site_keys WHERE revoked_at IS NULL AND $1 = ANY(domains) LIMIT 1', [host]);
  return (rowCount ?? 0) > 0;
}
