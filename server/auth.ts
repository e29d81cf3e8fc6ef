// Bearer-key authentication and authorisation for /api. A key is either the admin key
// of TEND_API_KEY (or the one generated on first start and kept in the settings
// table), or a scoped key from the api_keys table; the scope a route needs comes from
// server/scopes.ts. Site keys (pk_…) are for tracking only and are refused here.
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpProblem } from './http-problem.js';
import { setting } from '../engine/signing.js';
import type { Queryable } from '../engine/storage/db.js';
import { covers, findApiKey, type Scope } from '../engine/api-keys.js';
import { scopeFor } from './scopes.js';
import { route } from './problem.js';

export async function resolveApiKey(db: Queryable, configured?: string): Promise<string> {
  if (configured) return configured;
  return setting(db, 'api_key', () => `tend_${crypto.randomBytes(24).toString('base64url')}`);
}

/** Who is calling: set on `res.locals.caller` for the routes. */
export interface Caller {
  /** null for the TEND_API_KEY admin key. */
  keyId: string | null;
  name: string;
  scope: Scope;
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest();

const unauthorized = (message: string) => new HttpProblem(401, 'Unauthorized', [{ path: '/headers/authorization', message }], { headers: { 'WWW-Authenticate': 'Bearer' } });

/**
 * Checks the bearer key (401 otherwise) and names the caller on `res.locals.caller`.
 * What the caller may do is decided by `requireScope` on the route that matched.
 */
export function authenticate(db: Queryable, adminKey: string): RequestHandler {
  const admin = sha256(adminKey);
  return route(async (req, res, next) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    if (!m) throw unauthorized('send Authorization: Bearer <API key>');
    const given = m[1]!;
    let caller: Caller | undefined;
    if (crypto.timingSafeEqual(sha256(given), admin)) caller = { keyId: null, name: 'TEND_API_KEY', scope: 'admin' };
    else if (given.startsWith('pk_')) throw unauthorized('a site key (pk_…) only sends tracking events to /t/collect; use an API key');
    else {
      const found = await findApiKey(db, given);
      if (found) caller = { keyId: found.id, name: found.name, scope: found.scope };
    }
    if (!caller) throw unauthorized('unknown or revoked API key');
    res.locals.caller = caller;
    next();
  });
}

/**
 * 403 unless the caller's scope covers what `mountPath` (the path the router was
 * mounted at, as written in app.ts, never the raw request path) and the path below it
 * need. Because the rule is looked up from the mount that actually matched, a path
 * spelled differently (`/KEYS`, `/keys%2F`) either reaches no route or is judged as the
 * route it reaches.
 */
export function requireScope(mountPath: string): RequestHandler {
  return (req, res, next) => {
    const caller = res.locals.caller as Caller | undefined;
    if (!caller) return next(unauthorized('send Authorization: Bearer <API key>'));
    const below = req.path === '/' ? '' : req.path;
    const needs = scopeFor(req.method, mountPath + below);
    if (!covers(caller.scope, needs)) {
      return next(new HttpProblem(403, 'Forbidden', [{ path: '/headers/authorization', message: `this key has scope ${caller.scope}; ${req.method} /api${mountPath}${below} needs scope ${needs}` }], { extensions: { requiredScope: needs, scope: caller.scope } }));
    }
    next();
  };
}
