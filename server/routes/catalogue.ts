// GET /api/catalogue: the fields, attributes, event types and properties seen in this
// Tend's data (engine/audience/data-catalogue.ts), for the editor's pickers.
import type { Router } from 'express';
import { router } from '../router.js';
import type { Db } from '../../engine/storage/db.js';
import { dataCatalogue } from '../../engine/audience/data-catalogue.js';
import { route } from '../problem.js';

export function catalogueRouter(db: Db): Router {
  const r = router();
  r.get('/', route(async (_req, res) => {
    // Not kept by the browser: the editor keeps it 30 s itself, and forgets it when a change must show (a new segment).
    res.set('cache-control', 'no-store').json(await dataCatalogue(db));
  }));
  return r;
}
