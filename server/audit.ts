// Every change made through /api goes into the audit log once it has succeeded: who
// (the person or key), what (the route, with what the route adds in res.locals.audit:
// a publish's changes in words, a new role), which thing, and from where. Exports of a
// contact's personal data are recorded too, though they change nothing.
import type { RequestHandler } from 'express';
import type { Db } from '../engine/storage/db.js';
import type { Log } from '../engine/ops/log.js';
import { CONTACT_TARGET, recordAudit } from '../engine/access/audit.js';
import { actorOf, type Caller } from './auth.js';
import type { Permission } from './scopes.js';
import { uuidSegments } from '../engine/ops/uuid.js';

const UUID_SEGMENT = uuidSegments();

/** The mounts whose changes are recorded; of /contacts, only exports and erasures. */
const AUDITED = new Set(['/flows', '/segments', '/scoring-rules', '/forms', '/keys', '/site-keys', '/users', '/messaging-policy', '/rfm-settings', '/predictive-score', '/topics', '/stages', '/landing-pages']);
const audited = (mountPath: string, method: string, below: string) =>
  AUDITED.has(mountPath) || (mountPath === '/contacts' && (/\/export\/?$/.test(below) || /\/erase\/?$/.test(below) || (method === 'DELETE' && /^\/[^/]+\/?$/.test(below))));

/** What a route may add to its audit entry. */
export interface AuditNote { target?: { kind: string; id: string | null }; detail?: Record<string, unknown> }

/** Follows requirePermission in the same mount, which leaves the permission the request needed in res.locals. */
export function auditChanges(db: Db, mountPath: string, log: Log): RequestHandler {
  return (req, res, next) => {
    const below = req.path === '/' ? '' : req.path;
    const needs = res.locals.permission as Permission;
    // Reads, and the POSTs that only compute an answer, change nothing; events and
    // contact updates are the data flowing through Tend, not changes to how it works
    // (an entry per event would double ingestion's writes). A contact's export and
    // erasure are recorded.
    // (A path mounted twice, as /contacts is, passes here twice: one entry.)
    if (needs === 'read' || !audited(mountPath, req.method, below) || res.locals.audited) return next();
    res.locals.audited = true;
    res.on('finish', () => {
      if (res.statusCode >= 400) return;
      const caller = res.locals.caller as Caller;
      const note = (res.locals.audit ?? {}) as AuditNote;
      const id = below.match(UUID_SEGMENT)?.[0]?.slice(1) ?? null;
      recordAudit(db, {
        actor: actorOf(caller),
        action: `${req.method} /api${mountPath}${below.replace(UUID_SEGMENT, '/:id')}`,
        target: note.target ?? (mountPath === '/contacts' ? { kind: CONTACT_TARGET, id } : { kind: mountPath.slice(1).split('/')[0]!, id }),
        detail: note.detail,
        ip: req.ip,
      }).catch((err: unknown) => log.error('audit entry not recorded', { err, path: req.path }));
    });
    next();
  };
}
