// Authentication and authorisation for /api. A machine sends a bearer key: the admin
// key of TEND_API_KEY (or the one generated on first start and kept in the settings
// table), or a scoped key from the api_keys table. A person's browser sends the session
// cookie of a sign-in, and with every request that changes something the CSRF token the
// session was given. What either may do comes from server/scopes.ts. Site keys (pk_…)
// are for tracking only and are refused here.
import crypto from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { HttpProblem } from './http-problem.js';
import { setting } from '../engine/delivery/signing.js';
import type { Queryable } from '../engine/storage/db.js';
import { findApiKey, type Scope } from '../engine/access/api-keys.js';
import { findSession, type Role } from '../engine/access/people.js';
import type { AuditActor } from '../engine/access/audit.js';
import { permissionFor, ROLE_GRANTS, SCOPE_GRANTS, scopeFor, type Permission } from './scopes.js';
import { route } from './problem.js';

export async function resolveApiKey(db: Queryable, configured?: string): Promise<string> {
  if (configured) return configured;
  return setting(db, 'api_key', () => `tend_${crypto.randomBytes(24).toString('base64url')}`);
}

/** Who is calling: set on `res.locals.caller` for the routes. */
export type Caller =
  | { kind: 'key'; /** null for the TEND_API_KEY admin key. */ keyId: string | null; name: string; scope: Scope }
  | { kind: 'user'; userId: string; name: string; email: string; role: Role; sessionId: string; csrfToken: string };

export const SESSION_COOKIE = 'tend_session';
export const CSRF_HEADER = 'x-csrf-token';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest();

const unauthorized = (message: string) => new HttpProblem(401, 'Unauthorized', [{ path: '/headers/authorization', message }], { headers: { 'WWW-Authenticate': 'Bearer' } });

const READING = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The value of one cookie of the request. */
export function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined; // not one Tend set (a malformed %-escape): no session
      }
    }
  }
  return undefined;
}

export const grantsOf = (caller: Caller): readonly Permission[] => (caller.kind === 'key' ? SCOPE_GRANTS[caller.scope] : ROLE_GRANTS[caller.role]);

export const actorOf = (caller: Caller): AuditActor => (caller.kind === 'key'
  ? { kind: 'key', id: caller.keyId, name: caller.keyId ? `key ${caller.name}` : 'TEND_API_KEY' }
  : { kind: 'user', id: caller.userId, name: caller.email });

/** The signed-in person of a request, from the session cookie (no CSRF check: for the routes that only look). */
export async function sessionCaller(db: Queryable, req: Request): Promise<Extract<Caller, { kind: 'user' }> | undefined> {
  const t = cookie(req, SESSION_COOKIE);
  const session = t ? await findSession(db, t) : undefined;
  return session && {
    kind: 'user', userId: session.user.id, name: session.user.name, email: session.user.email, role: session.user.role,
    sessionId: session.sessionId, csrfToken: session.csrfToken,
  };
}

/**
 * Checks the bearer key or the session cookie (401 otherwise) and names the caller on
 * `res.locals.caller`. A cookie may be sent by any site's page (a forged form), so a
 * request it authenticates that changes something must also carry the session's CSRF
 * token in X-CSRF-Token, which only Tend's own pages can read. What the caller may do
 * is decided by `requirePermission` on the route that matched.
 */
export function authenticate(db: Queryable, adminKey: string): RequestHandler {
  const admin = sha256(adminKey);
  return route(async (req, res, next) => {
    const header = req.get('authorization');
    let caller: Caller | undefined;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!m) throw unauthorized('send Authorization: Bearer <API key>');
      const given = m[1]!;
      if (crypto.timingSafeEqual(sha256(given), admin)) caller = { kind: 'key', keyId: null, name: 'TEND_API_KEY', scope: 'admin' };
      else if (given.startsWith('pk_')) throw unauthorized('a site key (pk_…) only sends tracking events to /t/collect; use an API key');
      else {
        const found = await findApiKey(db, given);
        if (found) caller = { kind: 'key', keyId: found.id, name: found.name, scope: found.scope };
      }
      if (!caller) throw unauthorized('unknown or revoked API key');
    } else {
      caller = await sessionCaller(db, req);
      if (!caller) throw unauthorized('sign in, or send Authorization: Bearer <API key>');
      const sent = req.get(CSRF_HEADER) ?? '';
      if (!READING.has(req.method) && !(sent.length === caller.csrfToken.length && crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(caller.csrfToken)))) {
        throw new HttpProblem(403, 'Missing CSRF token', [{ path: '/headers/x-csrf-token', message: 'send the csrfToken of GET /api/auth/session in X-CSRF-Token with every change' }]);
      }
    }
    res.locals.caller = caller;
    next();
  });
}

/** 403 naming what is missing: the scope a key would need, or the role's limit. */
function forbidden(caller: Caller, needs: Permission, what: string): HttpProblem {
  if (caller.kind === 'key') {
    const scope = scopeFor(needs);
    return new HttpProblem(403, 'Forbidden', [{ path: '/headers/authorization', message: `this key has scope ${caller.scope}; ${what} needs scope ${scope}` }], { extensions: { requiredScope: scope, scope: caller.scope, requiredPermission: needs } });
  }
  return new HttpProblem(403, 'Forbidden', [{ path: '/', message: `a ${caller.role} may not do this: ${what} needs the ${needs} permission` }], { extensions: { requiredPermission: needs, role: caller.role } });
}

/**
 * 403 unless the caller may do what `mountPath` (the path the router was mounted at, as
 * written in app.ts, never the raw request path) and the path below it need. Because
 * the rule is looked up from the mount that actually matched, a path spelled
 * differently (`/KEYS`, `/keys%2F`) either reaches no route or is judged as the route
 * it reaches.
 */
export function requirePermission(mountPath: string): RequestHandler {
  return (req, res: Response, next) => {
    const caller = res.locals.caller as Caller | undefined;
    if (!caller) return next(unauthorized('send Authorization: Bearer <API key>'));
    const below = req.path === '/' ? '' : req.path;
    const needs = permissionFor(req.method, mountPath + below);
    if (!grantsOf(caller).includes(needs)) return next(forbidden(caller, needs, `${req.method} /api${mountPath}${below}`));
    // The audit middleware, next in the same mount, reads the permission from here.
    res.locals.permission = needs;
    next();
  };
}
