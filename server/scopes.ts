// Which API key scope each route of /api needs: the one place that decides it.
// Reading needs `read`, changing needs `write`, and anything about credentials (API
// keys, site keys) needs `admin`. A few POSTs only compute an answer (validate a
// document, preview an email or a segment) and so need no more than `read`.
import type { Scope } from '../engine/api-keys.js';

interface Rule {
  method?: string;
  /**
   * Matched against the path below /api as the route that matched names it: the mount
   * path written in server/app.ts (never the request's own spelling) and the rest,
   * e.g. `/flows` + `/validate`. Routing is case-sensitive (server/router.ts).
   */
  path: RegExp;
  scope: Scope;
}

const RULES: Rule[] = [
  { path: /^\/(keys|site-keys)(\/|$)/, scope: 'admin' },
  { method: 'POST', path: /^\/flows\/(validate|preview-email)\/?$/, scope: 'read' },
  { method: 'POST', path: /^\/segments\/preview\/?$/, scope: 'read' },
];

const READING = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The scope a request to /api needs.
 * @example scopeFor('POST', '/flows') // 'write'
 */
export function scopeFor(method: string, path: string): Scope {
  const rule = RULES.find((r) => (!r.method || r.method === method) && r.path.test(path));
  if (rule) return rule.scope;
  return READING.has(method) ? 'read' : 'write';
}
