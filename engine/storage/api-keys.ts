// Scoped API keys (`api_keys`), stored by their SHA-256.
import type { Queryable } from './db.js';

export interface ApiKeyRow {
  id: string;
  name: string;
  scope: 'read' | 'write' | 'admin';
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export async function insertApiKey(db: Queryable, name: string, scope: ApiKeyRow['scope'], keyHash: string, prefix: string): Promise<ApiKeyRow> {
  const { rows } = await db.query<ApiKeyRow>(
    'INSERT INTO api_keys (name, scope, key_hash, prefix) VALUES ($1, $2, $3, $4) RETURNING *',
    [name, scope, keyHash, prefix],
  );
  return rows[0]!;
}

export async function apiKeyRows(db: Queryable): Promise<ApiKeyRow[]> {
  return (await db.query<ApiKeyRow>('SELECT * FROM api_keys ORDER BY created_at, id')).rows;
}

/** Revoked now, or when it was first revoked; undefined for an unknown id. */
export async function revokeApiKeyRow(db: Queryable, id: string): Promise<ApiKeyRow | undefined> {
  const { rows } = await db.query<ApiKeyRow>('UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING *', [id]);
  return rows[0];
}

/** The live key with this hash; its use noted at most once a minute. */
export async function useLiveApiKey(db: Queryable, keyHash: string): Promise<Pick<ApiKeyRow, 'id' | 'name' | 'scope'> | undefined> {
  const { rows } = await db.query<Pick<ApiKeyRow, 'id' | 'name' | 'scope'>>(
    `WITH k AS (SELECT id, name, scope, last_used_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL),
     touched AS (UPDATE api_keys SET last_used_at = now() FROM k
                 WHERE api_keys.id = k.id AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute'))
     SELECT id, name, scope FROM k`,
    [keyHash],
  );
  return rows[0];
}
