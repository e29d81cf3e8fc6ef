// /api/stages: the lifecycle stages in order (GET, and PUT to replace them), and
// GET /api/stages/funnel: how many contacts stand at each (engine/audience/stages.ts).
import type { Router } from 'express';
import { router } from '../router.js';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import { StagesInput, readStages, stageFunnel, stagesProblems, writeStages } from '../../engine/audience/stages.js';
import { parseBody } from '../input.js';
import { route } from '../problem.js';

export function stagesRouter(db: Db): Router {
  const r = router();
  r.get('/', route(async (_req, res) => void res.json(await readStages(db))));
  r.put('/', route(async (req, res) => {
    const input = parseBody(StagesInput, req.body);
    const problems = stagesProblems(input);
    if (problems.length) throw new HttpProblem(422, 'Invalid stages', problems);
    await writeStages(db, input);
    res.json(input);
  }));
  r.get('/funnel', route(async (_req, res) => {
    res.set('Cache-Control', 'no-store').json(await stageFunnel(db, (await readStages(db)).stages));
  }));
  return r;
}
