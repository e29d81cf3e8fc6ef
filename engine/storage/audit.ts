// The append-only audit log (`audit_log`) and the links of its entries to the contacts
// they are about (`audit_contacts`, deleted by erasure).
import type { Queryable } from './db.js';

export interface AuditRow { id: string; at: Date; actor_kind: 'user' | 'key' | 'system'; actor_id: string | null; actor_name: string; action: string; target_kind: string | null; target_id: string | null; detail: Record<string, unknown>; ip: string | null }

export interface AuditInsert {
  actorKind: AuditRow['actor_kind'];
  actorId: string | null;
  actorName: string;
  action: string;
  targetKind: string | null;
  targetId: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
  /** The contact the entry is about: linked from audit_contacts, not named in the entry. */
  contactId: string | null;
}

export async function insertAuditEntry(db: Queryable, e: AuditInsert): Promise<void> {
  await db.query(
    `WITH entry AS (
       INSERT INTO audit_log (actor_kind, actor_id, actor_name, action, target_kind, target_id, detail, ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
     )
     INSERT INTO audit_contacts (audit_id, contact_id) SELECT id, $9::uuid FROM entry WHERE $9::uuid IS NOT NULL`,
    [e.actorKind, e.actorId, e.actorName, e.action, e.targetKind, e.targetId, JSON.stringify(e.detail), e.ip, e.contactId],
  );
}

export interface AuditFilter { actor?: string; action?: string; targetId?: string; before?: string; limit: number }

/** Newest first; `before` (an entry id) pages back. */
export async function auditRows(db: Queryable, f: AuditFilter): Promise<AuditRow[]> {
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
  return rows;
}
