// Programs: an editable draft beside immutable published versions. Enrollments pin
// the version they entered with.
import type { Queryable } from './db.js';
import type { FlowDocument } from '../flow/document.js';

export interface ProgramRow {
  id: string;
  name: string;
  description: string;
  status: 'draft' | 'live' | 'paused' | 'archived';
  draft: FlowDocument;
  live_version: number | null;
  /** Goes up by one with each save of the draft. */
  revision: number;
  created_at: Date;
  updated_at: Date;
}

export interface ProgramSummary {
  id: string;
  name: string;
  description: string;
  status: string;
  liveVersion: number | null;
  activeContacts: number;
  createdAt: string;
  updatedAt: string;
}

export function toSummary(row: ProgramRow & { active_contacts?: number }): ProgramSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    liveVersion: row.live_version,
    activeContacts: row.active_contacts ?? 0,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function insertProgram(db: Queryable, doc: FlowDocument): Promise<ProgramRow> {
  const { rows } = await db.query<ProgramRow>('INSERT INTO programs (name, description, draft) VALUES ($1, $2, $3) RETURNING *', [doc.name, doc.description ?? '', JSON.stringify(doc)]);
  return rows[0];
}

export async function getProgram(db: Queryable, id: string, forUpdate = false): Promise<ProgramRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  return (await db.query<ProgramRow>(`SELECT * FROM programs WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id])).rows[0];
}

export async function listPrograms(db: Queryable, includeArchived = false): Promise<ProgramSummary[]> {
  const { rows } = await db.query<ProgramRow & { active_contacts: number }>(
    `SELECT p.*, (SELECT count(*) FROM enrollments e WHERE e.program_id = p.id AND e.status = 'active') AS active_contacts
     FROM programs p ${includeArchived ? '' : "WHERE p.status <> 'archived'"} ORDER BY p.updated_at DESC`,
  );
  return rows.map(toSummary);
}

/**
 * Stores the draft as the next revision; with `fromRevision`, only if the draft is still
 * at that revision (undefined otherwise: someone else saved in between).
 */
export async function saveDraft(db: Queryable, id: string, doc: FlowDocument, fromRevision?: number): Promise<ProgramRow | undefined> {
  const { rows } = await db.query<ProgramRow>(
    'UPDATE programs SET draft = $2, name = $3, description = $4, revision = revision + 1, updated_at = now() WHERE id = $1 AND ($5::int IS NULL OR revision = $5) RETURNING *',
    [id, JSON.stringify(doc), doc.name, doc.description ?? '', fromRevision ?? null],
  );
  return rows[0];
}

export async function insertVersion(db: Queryable, id: string, doc: FlowDocument): Promise<number> {
  const { rows } = await db.query<{ version: number }>(
    `INSERT INTO program_versions (program_id, version, document)
     VALUES ($1, (SELECT COALESCE(max(version), 0) + 1 FROM program_versions WHERE program_id = $1), $2) RETURNING version`,
    [id, JSON.stringify(doc)],
  );
  await db.query("UPDATE programs SET live_version = $2, status = 'live', updated_at = now() WHERE id = $1", [id, rows[0].version]);
  return rows[0].version;
}

export async function setStatus(db: Queryable, id: string, status: ProgramRow['status']): Promise<void> {
  await db.query('UPDATE programs SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
}

export async function getVersion(db: Queryable, id: string, version: number): Promise<FlowDocument | undefined> {
  return (await db.query<{ document: FlowDocument }>('SELECT document FROM program_versions WHERE program_id = $1 AND version = $2', [id, version])).rows[0]?.document;
}

export async function listVersions(db: Queryable, id: string): Promise<{ version: number; publishedAt: string; activeContacts: number; totalContacts: number }[]> {
  const { rows } = await db.query<{ version: number; published_at: Date; active: number; total: number }>(
    `SELECT v.version, v.published_at,
            (SELECT count(*) FROM enrollments e WHERE e.program_id = v.program_id AND e.version = v.version AND e.status = 'active') AS active,
            (SELECT count(*) FROM enrollments e WHERE e.program_id = v.program_id AND e.version = v.version) AS total
     FROM program_versions v WHERE v.program_id = $1 ORDER BY v.version DESC`,
    [id],
  );
  return rows.map((r) => ({ version: r.version, publishedAt: r.published_at.toISOString(), activeContacts: r.active, totalContacts: r.total }));
}

export interface LiveProgram {
  id: string;
  version: number;
}

export async function livePrograms(db: Queryable): Promise<LiveProgram[]> {
  const { rows } = await db.query<{ id: string; live_version: number }>("SELECT id, live_version FROM programs WHERE status = 'live' AND live_version IS NOT NULL");
  return rows.map((r) => ({ id: r.id, version: r.live_version }));
}
