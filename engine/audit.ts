// The audit log: who changed what, when and from where, for every change made through
// the API (by a person or a key) and every export or erasure of a contact. Entries are
// only ever added (the database refuses an update or a delete: migration 150). An entry
// names a contact by id only, so it holds no personal data to erase.
import type { Queryable } from './storage/db.js';

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

export async function recordAudit(db: Queryable, e: { actor: AuditActor; action: string; target?: { kind: string; id: string | null }; detail?: Record<string, unknown>; ip?: string }): Promise<void> {
  await db.query(
    'INSERT INTO audit_log (actor_kind, actor_id, actor_name, action, target_kind, target_id, detail, ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [e.actor.kind, e.actor.id, e.actor.name, e.action, e.target?.kind ?? null, e.target?.id ?? null, JSON.stringify(e.detail ?? {}), e.ip ?? null],
  );
}

export interface AuditFilter { actor?: string; action?: string; targetId?: string; before?: string; limit: number }

/** Newest first; `before` (an entry id) pages back. */
export async function listAudit(db: Queryable, f: AuditFilter): Promise<AuditEntry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => { params.push(v); where.push(sql.replace('?', `$${params.length}`)); };
  const like = (text: string) => `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
  if (f.actor) add('actor_name ILIKE ?', like(f.actor));
  if (f.action) add('action ILIKE ?', like(f.action));
  if (f.targetId) add('target_id = ?', f.targetId);
  if (f.before && /^\d{1,18}$/.test(f.before)) add('id < ?', f.before);
  params.push(f.limit);
  const { rows } = await db.query<AuditRow>(`SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`, params);
  return rows.map(toEntry);
}
