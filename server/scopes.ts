// Who may do what on /api: the one place that decides it, for API keys and for people.
// Each route needs one permission; an API key's scope and a person's role each grant a
// set of them.
//
// - read: look (and the POSTs that only compute an answer: validate a document,
//   preview an email or a segment, check what a contact's score would be);
// - export: a contact's whole personal data as one file;
// - write: change programs, segments, forms, contacts, events;
// - settings: change the messaging policy, RFM, predictive score, scoring rules, topics,
//   lifecycle stages;
// - admin: API keys, site keys, people, the audit log and the secrets' state.
import type { Scope } from '../engine/access/api-keys.js';
import type { Role } from '../engine/access/people.js';

export const PERMISSIONS = ['read', 'export', 'write', 'settings', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

interface Rule {
  method?: string;
  /** Only for requests that change something (not GET, HEAD, OPTIONS). */
  changes?: boolean;
  /**
   * Matched against the path below /api as the route that matched names it: the mount
   * path written in server/app.ts (never the request's own spelling) and the rest,
   * e.g. `/flows` + `/validate`. Routing is case-sensitive (server/router.ts).
   */
  path: RegExp;
  needs: Permission;
}

const RULES: Rule[] = [
  { path: /^\/(keys|site-keys|users|audit-log|secrets)(\/|$)/, needs: 'admin' },
  { method: 'POST', path: /^\/flows\/(validate|preview-email)\/?$/, needs: 'read' },
  { method: 'POST', path: /^\/segments\/preview\/?$/, needs: 'read' },
  { method: 'POST', path: /^\/scoring-rules\/check\/?$/, needs: 'read' },
  // A preview link shows what whoever may look can see already; it changes nothing.
  { method: 'POST', path: /^\/landing-pages\/[^/]+\/preview-link\/?$/, needs: 'read' },
  { method: 'GET', path: /^\/contacts\/[^/]+\/export\/?$/, needs: 'export' },
  // Saying "I have this program open" changes nothing anyone relies on: whoever may look may say it.
  { path: /^\/flows\/[^/]+\/presence\/?$/, needs: 'read' },
  { changes: true, path: /^\/(messaging-policy|rfm-settings|predictive-score|scoring-rules|topics|stages)(\/|$)/, needs: 'settings' },
];

const READING = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The permission a request to /api needs.
 * @example permissionFor('POST', '/flows') // 'write'
 */
export function permissionFor(method: string, path: string): Permission {
  const rule = RULES.find((r) => (!r.method || r.method === method) && (!r.changes || !READING.has(method)) && r.path.test(path));
  if (rule) return rule.needs;
  return READING.has(method) ? 'read' : 'write';
}

/** What an API key of each scope may do (admin ⊃ write ⊃ read, as always). */
export const SCOPE_GRANTS: Record<Scope, readonly Permission[]> = {
  read: ['read', 'export'],
  write: ['read', 'export', 'write', 'settings'],
  admin: PERMISSIONS,
};

/**
 * What a person of each role may do. A marketer builds programs, segments and forms and
 * looks after contacts, but changes no settings and manages no keys or people; a viewer
 * looks, and exports no one's personal data.
 */
export const ROLE_GRANTS: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS,
  admin: PERMISSIONS,
  marketer: ['read', 'export', 'write'],
  viewer: ['read'],
};

/** The smallest key scope that grants a permission (named in a 403 to a key). */
export const scopeFor = (needs: Permission): Scope => (['read', 'write', 'admin'] as const).find((s) => SCOPE_GRANTS[s].includes(needs))!;
