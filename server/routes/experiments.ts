// GET /api/flows/:id/experiments/:node: an A/B experiment's results per variant and
// for the holdout, and its winner once decided, from the program's live version.
import type { Router } from 'express';
import { router } from '../router.js';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import * as programs from '../../engine/storage/programs.js';
import { experimentResults, experimentState } from '../../engine/run/experiments.js';
import { route } from '../problem.js';
import { isUuid } from '../../engine/ops/uuid.js';


interface ExperimentConfig {
  variants: { name: string }[];
  metric: 'opened' | 'clicked' | 'conversion';
  conversionEvent?: string;
  window: string;
  minSample: number;
}

export function experimentsRouter(db: Db): Router {
  const r = router({ mergeParams: true });
  r.get('/:node', route(async (req, res) => {
    const { id, node } = req.params as { id: string; node: string };
    const program = isUuid(id) ? await programs.getProgram(db, id) : undefined;
    if (!program?.live_version) throw new HttpProblem(404, 'Unknown program', [{ path: '/id', message: `no published program has id ${id}` }]);
    const doc = await programs.getVersion(db, id, program.live_version);
    const found = doc?.nodes.find((n) => n.id === node && n.type === 'tend.logic.experiment');
    if (!found) throw new HttpProblem(404, 'Unknown experiment', [{ path: '/node', message: `the live version has no experiment node "${node}"` }]);
    const config = found.config as unknown as ExperimentConfig;
    const spec = { programId: id, nodeId: node, variants: config.variants.map((v) => v.name), metric: config.metric, event: config.conversionEvent, window: config.window, minSample: config.minSample };
    const state = await experimentState(db, spec, false); // reading decides nothing; the next contact does
    const [holdout] = await experimentResults(db, spec, ['holdout']);
    res.json({ node, metric: config.metric, window: config.window, minSample: config.minSample, ...state, holdout });
  }));
  return r;
}
