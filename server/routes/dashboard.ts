// GET /api/dashboard?days=14: the home screen's figures (engine/storage/dashboard.ts).
import type { Router } from 'express';
import { router } from '../router.js';
import type { Db } from '../../engine/storage/db.js';
import { dashboard } from '../../engine/storage/dashboard.js';
import { intParam } from '../input.js';
import { route } from '../problem.js';

export function dashboardRouter(db: Db): Router {
  const r = router();
  r.get('/', route(async (req, res) => {
    const days = intParam(req.query.days, 'days', { min: 1, max: 90, fallback: 14 });
    res.set('Cache-Control', 'no-store').json(await dashboard(db, days));
  }));
  return r;
}
