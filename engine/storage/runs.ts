// Who runs a run (engine/ARCHITECTURE.md, "First steps"): a shared first-steps workflow
// while it takes its first step, then, if it waits, a workflow of its own. The SQL of
// handing a run over and of keeping the events meant for it meanwhile.
import type { Db } from './db.js';
import { transaction } from './db.js';
import type { EnrollmentInput } from '../run/types.js';
import type { SignalledEvent } from '../plugin/match.js';

/**
 * Keeps an event for a run with no workflow of its own yet. False when the run has one
 * by now (or ended): signal that instead. The row lock orders this against a hand-over
 * (handOverRun), so an event is either kept before the hand-over reads the kept ones, or
 * finds the run handed over.
 */
export async function keepForRun(db: Db, enrollmentId: string, event: SignalledEvent): Promise<boolean> {
  const { rowCount } = await db.query(
    `WITH r AS (SELECT id FROM enrollments WHERE id = $1 AND status = 'active' AND runner IS DISTINCT FROM 'workflow' FOR SHARE)
     INSERT INTO run_inbox (enrollment_id, event) SELECT id, $2 FROM r`,
    [enrollmentId, JSON.stringify(event)],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Marks a run as having its own workflow and returns the input to start it with: the
 * one stored by an earlier hand-over (a crash between marking and starting) or `input`,
 * with the events kept for the run so far. Undefined when the run is not active, or
 * another first-steps workflow than `claimer` has it.
 */
export async function handOverRun(db: Db, input: EnrollmentInput, claimer?: string): Promise<EnrollmentInput | undefined> {
  return transaction(db, async (tx) => {
    const { rows } = await tx.query<{ handover: EnrollmentInput | null }>(
      `UPDATE enrollments SET runner = 'workflow', handed_over_at = COALESCE(handed_over_at, now())
       WHERE id = $1 AND status = 'active' AND (runner IS NULL OR runner = 'workflow' OR runner = $2)
       RETURNING handover`,
      [input.enrollmentId, claimer ?? null],
    );
    if (!rows[0]) return undefined;
    // A later statement than the update: it sees every event kept before the update took the row.
    const kept = await tx.query<{ id: string; event: SignalledEvent }>('DELETE FROM run_inbox WHERE enrollment_id = $1 RETURNING id, event', [input.enrollmentId]);
    const base = rows[0].handover ?? input;
    const pending = [...(base.pending ?? []), ...kept.rows.sort((a, b) => Number(a.id) - Number(b.id)).map((r) => r.event)];
    const handover: EnrollmentInput = pending.length ? { ...base, pending } : base;
    await tx.query('UPDATE enrollments SET handover = $2 WHERE id = $1', [input.enrollmentId, JSON.stringify(handover)]);
    return handover;
  });
}

/** Drops events kept for runs that ended in their first step (they had no wait to use them). */
export async function dropKeptForEndedRuns(db: Db): Promise<void> {
  await db.query("DELETE FROM run_inbox i USING enrollments e WHERE e.id = i.enrollment_id AND e.status <> 'active'");
}
