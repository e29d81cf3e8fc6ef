// Enrollments as the dispatcher sees them: entering a program (the re-entry rules read
// the contact's last run of it), each contact's running runs, and whether a run is
// still waiting for its own workflow.
import type { Queryable } from './db.js';

/** The status of an entrant kept in the program's holdout: no workflow, nothing sent (dispatch/holdout.ts). */
export const HELD_OUT = 'held_out';

export interface EntryCheck {
  /** This trigger event entered the contact already (a retried dispatch). */
  mine: string | null;
  /** The contact's last run of this program under this key. */
  last?: { status: string; enteredAt: Date };
}

export async function entryCheck(db: Queryable, e: { programId: string; triggerEventId: string; key: string; contactId: string }): Promise<EntryCheck> {
  // (A held-out entry is not "mine": it has no workflow to make sure of, and the holdout decides the same again.)
  const { rows: [found] } = await db.query<{ mine: string | null; status: string | null; entered_at: Date | null }>(
    `SELECT (SELECT id FROM enrollments WHERE program_id = $1 AND trigger_event_id = $2 AND key = $3 AND status <> 'held_out') AS mine, l.status, l.entered_at
     FROM (SELECT 1) one LEFT JOIN LATERAL (
       SELECT status, entered_at FROM enrollments WHERE program_id = $1 AND contact_id = $4 AND key = $3 ORDER BY entered_at DESC LIMIT 1
     ) l ON true`,
    [e.programId, e.triggerEventId, e.key, e.contactId],
  );
  return { mine: found?.mine ?? null, last: found?.status ? { status: found.status, enteredAt: found.entered_at! } : undefined };
}

/**
 * A new run; undefined when the unique index enrollments_one_active refuses it (the
 * contact is in the program already). `ownWorkflow`: the run gets its workflow at once
 * and is marked as having it (without first steps).
 */
export async function insertEnrollment(db: Queryable, e: { programId: string; version: number; contactId: string; key: string; triggerEventId: string; triggerNode: string; ownWorkflow: boolean }): Promise<string | undefined> {
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO enrollments (program_id, version, contact_id, key, trigger_event_id, trigger_node, runner) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT DO NOTHING RETURNING id`,
    [e.programId, e.version, e.contactId, e.key, e.triggerEventId, e.triggerNode, e.ownWorkflow ? 'workflow' : null],
  );
  return inserted.rows[0]?.id;
}

/** Each contact's running enrollments, in one query (and, into `own`, those with a workflow of their own). */
export async function activeRuns(db: Queryable, contactIds: string[], own?: Set<string>): Promise<Map<string, Set<string>>> {
  const runs = new Map(contactIds.map((id) => [id, new Set<string>()]));
  const { rows } = await db.query<{ id: string; contact_id: string; runner: string | null }>("SELECT id, contact_id, runner FROM enrollments WHERE contact_id = ANY($1) AND status = 'active'", [contactIds]);
  for (const r of rows) {
    runs.get(r.contact_id)!.add(r.id);
    if (r.runner === 'workflow') own?.add(r.id);
  }
  return runs;
}

/** A run with no workflow yet may still be in its first step, or between it and its own workflow. */
export async function notStartedYet(db: Queryable, enrollmentId: string): Promise<boolean> {
  const { rows } = await db.query(
    "SELECT 1 FROM enrollments WHERE id = $1 AND status = 'active' AND (runner IS DISTINCT FROM 'workflow' OR handed_over_at > now() - interval '1 minute')",
    [enrollmentId],
  );
  return rows.length > 0;
}
