// `tend keys create | list | revoke`: scoped API keys through the API (needs an admin
// key). `create` prints the whole key once, on stdout alone, so `$(tend keys create …)`
// captures just the key; what it is goes to stderr.
import type { Api } from './api.js';
import type { ApiKey, Scope } from '../../engine/access/api-keys.js';

export async function createKey(api: Api, opts: { name: string; scope: string }): Promise<number> {
  const created = await api.request<ApiKey & { key: string }>('POST', '/api/keys', { name: opts.name, scope: opts.scope as Scope });
  console.error(`Created ${created.scope} key "${created.name}" (id ${created.id}). It is shown this once; store it now.`);
  console.log(created.key);
  return 0;
}

export async function listKeys(api: Api, opts: { json?: boolean }): Promise<number> {
  const { keys } = await api.request<{ keys: ApiKey[] }>('GET', '/api/keys');
  if (opts.json) {
    console.log(JSON.stringify(keys, null, 2));
    return 0;
  }
  const day = (iso: string | null) => iso?.slice(0, 10) ?? '-';
  const rows = [['ID', 'SCOPE', 'PREFIX', 'CREATED', 'LAST USED', 'REVOKED', 'NAME'], ...keys.map((k) => [k.id, k.scope, k.prefix, day(k.createdAt), day(k.lastUsedAt), day(k.revokedAt), k.name])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '));
  return 0;
}

export async function revokeKey(api: Api, id: string): Promise<number> {
  const revoked = await api.request<ApiKey>('DELETE', `/api/keys/${encodeURIComponent(id)}`);
  console.log(`Revoked ${revoked.scope} key "${revoked.name}" (${revoked.prefix}…).`);
  return 0;
}
