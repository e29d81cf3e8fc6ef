// A run's way through its program as rows: entering a step's first node (the visit it
// leaves closed, this one opened, the run's pointer moved, in one statement), the rest
// of a step's visits and the run's end written together when the step ends, a first-
// steps batch claiming its runs, and the messages a visit left without a final answer.
import type { Queryable } from './db.js';

export interface EnrollmentRow {
  id: string;
  program_id: string;
  version: number;
  contact_id: string;
  key: string;
  trigger_event_id: string | null;
  trigger_node: string;
  status: string;
  entered_at: Date;
}

export interface LeftVisit {
  nodeId: string;
  visit: number;
  port: string | null;
}

/**
 * One statement (one round trip, atomic without BEGIN/COMMIT): reads the enrollment,
 * closes the visit the contact is leaving after a wait, opens this one and moves the
 * enrollment's pointer — the latter only while it is active. Undefined: no such run.
 */
export async function enterNode(db: Queryable, at: { enrollmentId: string; nodeId: string; visit: number; left?: LeftVisit }): Promise<EnrollmentRow | undefined> {
  return (await db.query<EnrollmentRow>(
    `WITH e AS (SELECT * FROM enrollments WHERE id = $1),
     closed AS (
       UPDATE node_visits SET status = 'completed', port = $6, left_at = now()
       WHERE $4::text IS NOT NULL AND enrollment_id = $1 AND node_id = $4 AND visit = $5 AND status <> 'completed'
     ),
     opened AS (
       INSERT INTO node_visits (enrollment_id, node_id, visit, program_id, version, status)
       SELECT e.id, $2, $3, e.program_id, e.version, 'active' FROM e WHERE e.status = 'active'
       ON CONFLICT DO NOTHING
     ),
     moved AS (UPDATE enrollments SET current_node = $2 WHERE id = $1 AND status = 'active')
     SELECT * FROM e`,
    [at.enrollmentId, at.nodeId, at.visit, at.left?.nodeId ?? null, at.left?.visit ?? null, at.left?.port ?? null],
  )).rows[0];
}

/** Closes the run in one statement (one round trip, atomic without BEGIN/COMMIT): the visit it leaves, and the enrollment itself. */
export async function endRun(db: Queryable, run: { enrollmentId: string; status: string; reason?: string; left?: LeftVisit }): Promise<void> {
  await db.query(
    `WITH closed AS (
       UPDATE node_visits SET status = 'completed', port = $6, left_at = now()
       WHERE $4::text IS NOT NULL AND enrollment_id = $1 AND node_id = $4 AND visit = $5 AND status <> 'completed'
     )
     UPDATE enrollments SET status = $2, exit_reason = $3, ended_at = now() WHERE id = $1 AND status = 'active'`,
    [run.enrollmentId, run.status, run.reason ?? null, run.left?.nodeId ?? null, run.left?.visit ?? null, run.left?.port ?? null],
  );
}

/** Messages still `sending` become failed, keeping a reason they had; returns the reasons. */
export async function failUnsettledMessages(db: Queryable, messageIds: string[], fallback: string): Promise<string[]> {
  const { rows } = await db.query<{ reason: string }>(
    "UPDATE messages SET status = 'failed', reason = COALESCE(reason, $2) WHERE id = ANY($1) AND status = 'sending' RETURNING reason",
    [messageIds, fallback],
  );
  return rows.map((r) => r.reason);
}

/**
 * A first-steps batch claims its runs: each active run not taken by another runner is
 * marked as this batch's (a run that has its own workflow already keeps it). Returns
 * the runs as their first node reads them.
 */
export async function claimForBatch(db: Queryable, batchId: string, enrollmentIds: string[]): Promise<(EnrollmentRow & { runner: string })[]> {
  const { rows } = await db.query<EnrollmentRow & { runner: string }>(
    `UPDATE enrollments SET runner = CASE WHEN runner = 'workflow' THEN runner ELSE $1 END
     WHERE id = ANY($2) AND status = 'active' AND (runner IS NULL OR runner = $1 OR runner = 'workflow')
     RETURNING id, program_id, version, contact_id, key, trigger_event_id, trigger_node, status, entered_at, runner`,
    [batchId, enrollmentIds],
  );
  return rows;
}

/** A visit as a step leaves it: written with the step's others in one statement (`recordStep`). */
export interface VisitRecord {
  nodeId: string;
  visit: number;
  status: 'active' | 'waiting' | 'completed' | 'failed';
  port?: string | null;
  wakeAt?: Date | null;
  error?: string | null;
  enteredAt: Date;
  leftAt?: Date | null;
}

/**
 * What a step did, in one statement (one round trip, atomic without BEGIN/COMMIT): the
 * visits of the nodes it ran as they stand now (a visit written before — the step's
 * first node, or an attempt before a retry — is brought up to date), where the run is,
 * and, when the step ended the run, its end. Visits are written only while the run is
 * active, as `enterNode` opens them.
 */
export async function recordStep(db: Queryable, s: { enrollmentId: string; visits: VisitRecord[]; at?: string; end?: { status: 'completed' | 'exited' | 'failed'; reason?: string } }): Promise<void> {
  const visits = s.visits.map((v) => ({
    node_id: v.nodeId, visit: v.visit, status: v.status, port: v.port ?? null, wake_at: v.wakeAt?.toISOString() ?? null,
    error: v.error ?? null, entered_at: v.enteredAt.toISOString(), left_at: v.leftAt?.toISOString() ?? null,
  }));
  await db.query(
    `WITH e AS (SELECT id, program_id, version, status FROM enrollments WHERE id = $1),
     written AS (
       INSERT INTO node_visits (enrollment_id, node_id, visit, program_id, version, status, port, wake_at, error, entered_at, left_at)
       SELECT e.id, j.node_id, j.visit, e.program_id, e.version, j.status, j.port, j.wake_at, j.error, j.entered_at, j.left_at
       FROM e, jsonb_to_recordset($2::jsonb) AS j(node_id text, visit integer, status text, port text, wake_at timestamptz, error text, entered_at timestamptz, left_at timestamptz)
       WHERE e.status = 'active'
       ON CONFLICT (enrollment_id, node_id, visit) DO UPDATE SET status = EXCLUDED.status, port = EXCLUDED.port, wake_at = EXCLUDED.wake_at,
         error = COALESCE(EXCLUDED.error, node_visits.error), left_at = EXCLUDED.left_at
     )
     UPDATE enrollments SET current_node = COALESCE($3, current_node),
       status = COALESCE($4, status),
       exit_reason = CASE WHEN $4::text IS NULL THEN exit_reason ELSE $5 END,
       ended_at = CASE WHEN $4::text IS NULL THEN ended_at ELSE now() END
     WHERE id = $1 AND status = 'active' AND ($3::text IS NOT NULL OR $4::text IS NOT NULL)`,
    [s.enrollmentId, JSON.stringify(visits), s.at ?? null, s.end?.status ?? null, s.end?.reason ?? null],
  );
}
