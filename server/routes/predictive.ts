// /api/predictive-score: the settings of the predictive lead score, the newest model
// (when trained, on how many leads, how good, which activity weighs most) and a way to
// train it now rather than at the next scheduled retraining.
import type { Router } from 'express';
import { router } from '../router.js';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import { NotEnoughData, PredictiveSettings, latestModel, readSettings, rescoreAll, train, writeSettings } from '../../engine/audience/predictive.js';
import { parseBody } from '../input.js';
import { route } from '../problem.js';

async function describe(db: Db) {
  const latest = await latestModel(db);
  return {
    settings: await readSettings(db),
    model: latest ? { trainedAt: latest.trainedAt.toISOString(), ...latest.quality, weights: latest.model.weights } : null,
  };
}

export function predictiveRouter(db: Db): Router {
  const r = router();
  r.get('/', route(async (_req, res) => void res.json(await describe(db))));
  r.put('/', route(async (req, res) => {
    await writeSettings(db, parseBody(PredictiveSettings, req.body));
    res.json(await describe(db));
  }));
  r.post('/train', route(async (_req, res) => {
    try {
      await train(db, await readSettings(db));
    } catch (err) {
      if (err instanceof NotEnoughData) throw new HttpProblem(422, 'Not enough data to train', [{ path: '/', message: err.message }]);
      throw err;
    }
    const rescored = await rescoreAll(db);
    res.json({ ...(await describe(db)), rescored });
  }));
  return r;
}
