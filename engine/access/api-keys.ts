// Scoped API keys: admin (everything, keys included), write (programs, contacts,
// events, settings), read (look, never change). The whole key is shown once; only its
// SHA-256 is stored, with a prefix to tell keys apart. Which route needs which scope
// is decided in one place: server/scopes.ts.
import crypto from 'node:crypto';
import type { Queryable } from '../storage/db.js';

export const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Whether a key of scope `has` may do what needs `needs` (admin ⊃ write ⊃ read). */
export const covers = (has: Scope, needs: Scope): boolean => SCOPES.indexOf(has) >= SCOPES.indexOf(needs);

export interface ApiKey {
  id: string;
  name: string;
  scope: Scope;
  /** The first characters, e.g. `tend_read_Ab3x`; the whole key is seen once, at creation. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface ApiKeyRow {
  id: string;
  name: string;
  scope: Scope;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const toApiKey = (r: ApiKeyRow): ApiKey => ({
  id: r.id, name: r.name, scope: r.scope, prefix: r.prefix,
  createdAt: r.created_at.toISOString(), lastUsedAt: r.last_used_at?.toISOString() ?? null, revokedAt: r.revoked_at?.toISOString() ?? null,
});

export const hashKey = (key: string): string => crypto.createHash('sha256').update(key).digest('hex');

/**
 * Creates a key; the returned `key` is the only time the whole key is seen.
 * @example const { key } = await createApiKey(db, 'ci', 'read'); // tend_read_…
 */
export async function createApiKey(db: Queryable, name: string, scope: Scope): Promise<ApiKey & { key: string }> {
  const key = `tend_${scope}_${crypto.randomBytes(24).toString('base64url')}`;
  const { rows } = await db.query<ApiKeyRow>(
    'INSERT INTO api_keys (name, scope, key_hash, prefix) VALUES ($1, $2, $3, $4) RETURNING *',
    [name, scope, hashKey(key), key.slice(0, `tend_${scope}_`.length + 4)],
  );
  return { ...toApiKey(rows[0]!), key };
}

export async function listApiKeys(db: Queryable): Promise<ApiKey[]> {
  return (await db.query<ApiKeyRow>('SELECT * FROM api_keys ORDER BY created_at, id')).rows.map(toApiKey);
}

export async function revokeApiKey(db: Queryable, id: string): Promise<ApiKey | undefined> {
  const { rows } = await db.query<ApiKeyRow>('UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING *', [id]);
  return rows[0] ? toApiKey(rows[0]) : undefined;
}

/**
 * The live key `key` names, or undefined for an unknown or revoked one. Notes when it
 * was last used (at most once a minute, so a busy key does not write on every request).
 */
export async function findApiKey(db: Queryable, key: string): Promise<Pick<ApiKey, 'id' | 'name' | 'scope'> | undefined> {
  const { rows } = await db.query<Pick<ApiKey, 'id' | 'name' | 'scope'>>(
    `WITH k AS (SELECT id, name, scope, last_used_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL),
     touched AS (UPDATE api_keys SET last_used_at = now() FROM k
                 WHERE api_keys.id = k.id AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute'))
     SELECT id, name, scope FROM k`,
    [hashKey(key)],
  );
  return rows[0];
}
