// A/B experiments with an automatic winner. Each contact's variant is recorded as
// `tend.experiment_assigned` (with the run), so results are plain queries over the
// timeline: of the contacts assigned at least one window ago, how many opened or
// clicked an email of the same run, or did the conversion event, within the window
// after assignment. Once every variant has the minimum sample, the best rate wins (the
// first variant on a tie) and is stored: later contacts all get it, except the holdout.
import type { Queryable } from '../storage/db.js';
import { experimentCounts, experimentWinner, storeExperimentWinner } from '../storage/experiments.js';
import { durationMs } from '../plugin/duration.js';
import type { ExperimentQuery, ExperimentState } from '../plugin/index.js';

export const EXPERIMENT_ASSIGNED = 'tend.experiment_assigned';

/** opened / clicked: an email of the same run; conversion: `event` by the contact. */
export interface ExperimentSpec extends ExperimentQuery {
  programId: string;
  nodeId: string;
}

/** `assigned`: contacts whose window has passed. */
export type VariantResult = ExperimentState['results'][number];

/** Results per variant now (holdout included when asked for), without deciding anything. */
export async function experimentResults(db: Queryable, spec: ExperimentSpec, variants = spec.variants): Promise<VariantResult[]> {
  const windowSecs = durationMs(spec.window) / 1000;
  const byRun = spec.metric !== 'conversion';
  const successType = spec.metric === 'opened' ? 'email_opened' : spec.metric === 'clicked' ? 'email_clicked' : spec.event!;
  const rows = await experimentCounts(db, { assignedType: EXPERIMENT_ASSIGNED, programId: spec.programId, nodeId: spec.nodeId, successType, windowSecs, byRun });
  return variants.map((variant) => {
    const r = rows.find((x) => x.variant === variant);
    const assigned = Number(r?.assigned ?? 0);
    const converted = Number(r?.converted ?? 0);
    return { variant, assigned, converted, rate: assigned ? converted / assigned : 0 };
  });
}

/** The stored winner, or one decided now (unless `decide` is false) when every variant has its sample. */
export async function experimentState(db: Queryable, spec: ExperimentSpec, decide = true): Promise<ExperimentState> {
  const stored = await experimentWinner<VariantResult>(db, spec.programId, spec.nodeId);
  if (stored) return { winner: stored.variant, decidedAt: stored.decided_at.toISOString(), results: stored.results };
  const results = await experimentResults(db, spec);
  if (!decide || results.some((r) => r.assigned < spec.minSample)) return { results };
  const best = results.reduce((a, b) => (b.rate > a.rate ? b : a));
  // Several workers may decide at once: the first stored decision stands.
  await storeExperimentWinner(db, spec.programId, spec.nodeId, best.variant, results);
  return experimentState(db, spec);
}
