// A/B experiments: results counted over the event log (assignments and what followed
// them), and each experiment's decided winner (`experiment_winners`).
import type { Queryable } from './db.js';

export interface ExperimentCount { variant: string; assigned: string; converted: string }

/**
 * Per variant: contacts assigned (events of `assignedType`) at least one window ago, and
 * those of them with an event of `successType` within the window after, of the same run
 * when `byRun`.
 */
export async function experimentCounts(db: Queryable, q: { assignedType: string; programId: string; nodeId: string; successType: string; windowSecs: number; byRun: boolean }): Promise<ExperimentCount[]> {
  const { rows } = await db.query<ExperimentCount>(
    `SELECT a.properties->>'variant' AS variant, count(*) AS assigned,
            count(*) FILTER (WHERE EXISTS (
              SELECT 1 FROM events x WHERE x.contact_id = a.contact_id AND x.type = $3
                AND x.occurred_at >= a.occurred_at AND x.occurred_at <= a.occurred_at + make_interval(secs => $4)
                ${q.byRun ? "AND x.properties->>'enrollmentId' = a.properties->>'enrollmentId'" : ''})) AS converted
     FROM events a
     WHERE a.type = '${q.assignedType}' AND a.properties->>'programId' = $1 AND a.properties->>'node' = $2
       AND a.occurred_at <= now() - make_interval(secs => $4)
     GROUP BY 1`,
    [q.programId, q.nodeId, q.successType, q.windowSecs],
  );
  return rows;
}

export interface WinnerRow<R> { variant: string; decided_at: Date; results: R[] }

export async function experimentWinner<R>(db: Queryable, programId: string, nodeId: string): Promise<WinnerRow<R> | undefined> {
  return (await db.query<WinnerRow<R>>('SELECT * FROM experiment_winners WHERE program_id = $1 AND node_id = $2', [programId, nodeId])).rows[0];
}

/** Stored unless a winner is already: the first stored decision stands. */
export async function storeExperimentWinner(db: Queryable, programId: string, nodeId: string, variant: string, results: unknown[]): Promise<void> {
  await db.query('INSERT INTO experiment_winners (program_id, node_id, variant, results) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [programId, nodeId, variant, JSON.stringify(results)]);
}
