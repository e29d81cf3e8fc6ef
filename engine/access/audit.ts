// The audit log: who changed what, when and from where, for every change made through
// the API (by a person or a key) and every export or erasure of a contact. Entries are
// only ever added (the database refuses an update or a delete: migration 150). An
// entry about a contact links it from audit_contacts, which erasure deletes: the entry
// stays, naming no one.
import type { Queryable } from '../storage/db.js';
import { auditRows, insertAuditEntry, type AuditFilter, type AuditRow } from '../storage/audit.js';

export interface AuditActor {
  kind: 'user' | 'key' | 'system';
  id: string | null;
  name: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: AuditActor;
  /** What was done, as the route names it: `POST /api/flows/:id/publish`. */
  action: string;
  target: { kind: string; id: string | null } | null;
  /** What the route adds: a publish's changes in words, a new role, the program's name. */
  detail: Record<string, unknown>;
  ip: string | null;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  id: String(r.id), at: r.at.toISOString(), actor: { kind: r.actor_kind, id: r.actor_id, name: r.actor_name }, action: r.action,
  target: r.target_kind ? { kind: r.target_kind, id: r.target_id } : null, detail: r.detail, ip: r.ip,
});

/** The target kind of entries about a contact: their id goes to audit_contacts, not into the entry. */
export const CONTACT_TARGET = 'contact';

export async function recordAudit(db: Queryable, e: { actor: AuditActor; action: string; target?: { kind: string; id: string | null }; detail?: Record<string, unknown>; ip?: string }): Promise<void> {
  const aboutContact = e.target?.kind === CONTACT_TARGET ? e.target.id : null;
  await insertAuditEntry(db, {
    actorKind: e.actor.kind, actorId: e.actor.id, actorName: e.actor.name, action: e.action, targetKind: e.target?.kind ?? null,
    targetId: aboutContact ? null : e.target?.id ?? null, detail: e.detail ?? {}, ip: e.ip ?? null, contactId: aboutContact,
  });
}

export type { AuditFilter } from '../storage/audit.js';

/** Newest first; `before` (an entry id) pages back. */
export async function listAudit(db: Queryable, f: AuditFilter): Promise<AuditEntry[]> {
  return (await auditRows(db, f)).map(toEntry);
}
