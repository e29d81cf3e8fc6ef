// The audit log: who changed what, when and from where, for every change made through
// the API (by a person or a key) and every export or erasure of a contact. Entries are
// only ever added (the database refuses an update or a delete: migration 150). An
// entry about a contact links it from audit_contacts, which erasure deletes: the entry
// stays, naming no one.
import type { Queryable } from '../storage/db.js';

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

interface AuditRow { id: string; at: Date; actor_kind: AuditActor['kind']; actor_id: string | null; actor_name: string; action: string; target_kind: string | null; target_id: string | null; detail: Record<string, unknown>; ip: string | null }
const toEntry = (r: AuditRow): AuditEntry => ({
  id: String(r.id), at: r.at.toISOString(), actor: { kind: r.actor_kind, id: r.actor_id, name: r.actor_name }, action: r.action,
  target: r.target_kind ? { kind: r.target_kind, id: r.target_id } : null, detail: r.detail, ip: r.ip,
});

/** The target kind of entries about a contact: their id goes to audit_contacts, not into the entry. */
export const CONTACT_TARGET = 'contact';

export async function recordAudit(db: Queryable, e: { actor: AuditActor; action: string; target?: { kind: string; id: string | null }; detail?: Record<string, unknown>; ip?: string }): Promise<void> {
  const aboutContact = e.target?.kind === CONTACT_TARGET ? e.target.id : null;
  await db.query(
    `WITH entry AS (
       INSERT INTO audit_log (actor_kind, actor_id, actor_name, action, target_kind, target_id, detail, ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
     )
     INSERT INTO audit_contacts (audit_id, contact_id) SELECT id, $9::uuid FROM entry WHERE $9::uuid IS NOT NULL`,
    [e.actor.kind, e.actor.id, e.actor.name, e.action, e.target?.kind ?? null, aboutContact ? null : e.target?.id ?? null, JSON.stringify(e.detail ?? {}), e.ip ?? null, aboutContact],
  );
}

export interface AuditFilter { actor?: string; action?: string; targetId?: string; before?: string; limit: number }

/** Newest first; `before` (an entry id) pages back. */
export async function listAudit(db: Queryable, f: AuditFilter): Promise<AuditEntry[]> {
  const params: unknown[] = [];
  const param = (v: unknown) => { params.push(v); return `$${params.length}`; };
  const like = (text: string) => `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
  const where: string[] = [];
  if (f.actor) where.push(`a.actor_name ILIKE ${param(like(f.actor))}`);
  if (f.action) where.push(`a.action ILIKE ${param(like(f.action))}`);
  if (f.targetId) {
    const t = param(f.targetId);
    where.push(`(a.target_id = ${t} OR c.contact_id::text = ${t})`);
  }
  if (f.before && /^\d{1,18}$/.test(f.before)) where.push(`a.id < ${param(f.before)}`);
  // An entry about a contact shows their id while they exist (erasure removes the link).
  const { rows } = await db.query<AuditRow>(
    `SELECT a.id, a.at, a.actor_kind, a.actor_id, a.actor_name, a.action, a.target_kind, coalesce(a.target_id, c.contact_id::text) AS target_id, a.detail, a.ip
     FROM audit_log a LEFT JOIN audit_contacts c ON c.audit_id = a.id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.id DESC LIMIT ${param(f.limit)}`,
    params,
  );
  return rows.map(toEntry);
}
