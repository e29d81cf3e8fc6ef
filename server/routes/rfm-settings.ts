// /api/rfm-settings: which event is a purchase, where its value is, the window, and
// the score boundaries. One document; PUT replaces it (parts left out take defaults)
// and queues every purchaser for a re-score under the new boundaries.
import type { Router } from 'express';
import { router } from '../router.js';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import { DEFAULT_RFM, RfmSettingsInput, readRfmSettings, rfmProblems, writeRfmSettings } from '../../engine/audience/rfm.js';
import { parseBody } from '../input.js';
import { route } from '../problem.js';

export function rfmSettingsRouter(db: Db): Router {
  const r = router();
  r.get('/', route(async (_req, res) => void res.json(await readRfmSettings(db))));
  r.put('/', route(async (req, res) => {
    const settings = { ...DEFAULT_RFM, ...parseBody(RfmSettingsInput, req.body) };
    const problems = rfmProblems(settings);
    if (problems.length) throw new HttpProblem(422, 'Invalid RFM settings', problems);
    await writeRfmSettings(db, settings);
    res.json(settings);
  }));
  return r;
}
