// Scoped API keys: admin (everything, keys included), write (programs, contacts,
// events, settings), read (look, never change). The whole key is shown once; only its
// SHA-256 is stored, with a prefix to tell keys apart. Which route needs which scope
// is decided in one place: server/scopes.ts.
import crypto from 'node:crypto';
import type { Queryable } from '../storage/db.js';
import { apiKeyRows, insertApiKey, revokeApiKeyRow, useLiveApiKey, type ApiKeyRow } from '../storage/api-keys.js';

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
  const row = await insertApiKey(db, name, scope, hashKey(key), key.slice(0, `tend_${scope}_`.length + 4));
  return { ...toApiKey(row), key };
}

export async function listApiKeys(db: Queryable): Promise<ApiKey[]> {
  return (await apiKeyRows(db)).map(toApiKey);
}

export async function revokeApiKey(db: Queryable, id: string): Promise<ApiKey | undefined> {
  const row = await revokeApiKeyRow(db, id);
  return row ? toApiKey(row) : undefined;
}

/**
 * The live key `key` names, or undefined for an unknown or revoked one. Notes when it
 * was last used (at most once a minute, so a busy key does not write on every request).
 */
export async function findApiKey(db: Queryable, key: string): Promise<Pick<ApiKey, 'id' | 'name' | 'scope'> | undefined> {
  return useLiveApiKey(db, hashKey(key));
}
