// A run's way through its program as rows: entering a node (the visit it leaves closed,
// this one opened, the run's pointer moved, in one statement), how a visit ends
// (went on, waits, left by its error port), the run's end, and the messages a visit
// left without a final answer.
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

/** Closes the run in one statement (one round trip, atomic without BEGIN/COMMIT): the visit it leaves, a failed node's visit, and the enrollment itself. */
export async function endRun(db: Queryable, run: { enrollmentId: string; status: string; reason?: string; left?: LeftVisit }, failedNode?: { nodeId: string; visit: number; error: string }): Promise<void> {
  await db.query(
    `WITH closed AS (
       UPDATE node_visits SET status = 'completed', port = $6, left_at = now()
       WHERE $4::text IS NOT NULL AND enrollment_id = $1 AND node_id = $4 AND visit = $5 AND status <> 'completed'
     ),
     failed AS (
       UPDATE node_visits SET status = 'failed', error = $9, left_at = now()
       WHERE $7::text IS NOT NULL AND enrollment_id = $1 AND node_id = $7 AND visit = $8
     )
     UPDATE enrollments SET status = $2, exit_reason = $3, ended_at = now() WHERE id = $1 AND status = 'active'`,
    [run.enrollmentId, run.status, run.reason ?? null, run.left?.nodeId ?? null, run.left?.visit ?? null, run.left?.port ?? null,
      failedNode?.nodeId ?? null, failedNode?.visit ?? null, failedNode?.error ?? null],
  );
}

type VisitKey = { enrollmentId: string; nodeId: string; visit: number };

/** The visit went on by `port`. */
export async function closeVisit(db: Queryable, v: VisitKey, port: string): Promise<void> {
  await db.query("UPDATE node_visits SET status = 'completed', port = $4, left_at = now() WHERE enrollment_id = $1 AND node_id = $2 AND visit = $3", [v.enrollmentId, v.nodeId, v.visit, port]);
}

/** The node failed for good and the run leaves by its error port. */
export async function closeVisitByError(db: Queryable, v: VisitKey, error: string): Promise<void> {
  await db.query("UPDATE node_visits SET status = 'completed', port = 'error', error = $4, left_at = now() WHERE enrollment_id = $1 AND node_id = $2 AND visit = $3", [v.enrollmentId, v.nodeId, v.visit, error]);
}

/** Why a visit that went on left a message without a final answer. */
export async function noteVisitError(db: Queryable, v: VisitKey, error: string): Promise<void> {
  await db.query('UPDATE node_visits SET error = $4 WHERE enrollment_id = $1 AND node_id = $2 AND visit = $3', [v.enrollmentId, v.nodeId, v.visit, error]);
}

/** The visit waits until `wakeAt`. */
export async function markWaiting(db: Queryable, v: VisitKey, wakeAt: Date): Promise<void> {
  await db.query("UPDATE node_visits SET status = 'waiting', wake_at = $4 WHERE enrollment_id = $1 AND node_id = $2 AND visit = $3", [v.enrollmentId, v.nodeId, v.visit, wakeAt]);
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
 * marked as this batch's (a run that has its own workflow already keeps it).
 */
export async function claimForBatch(db: Queryable, batchId: string, enrollmentIds: string[]): Promise<{ id: string; runner: string; contact_id: string; trigger_event_id: string | null }[]> {
  const { rows } = await db.query<{ id: string; runner: string; contact_id: string; trigger_event_id: string | null }>(
    `UPDATE enrollments SET runner = CASE WHEN runner = 'workflow' THEN runner ELSE $1 END
     WHERE id = ANY($2) AND status = 'active' AND (runner IS NULL OR runner = $1 OR runner = 'workflow')
     RETURNING id, runner, contact_id, trigger_event_id`,
    [batchId, enrollmentIds],
  );
  return rows;
}
