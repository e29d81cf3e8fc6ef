// GET /api/page-views: the newest page views (engine/storage/page-views.ts), for the
// live view of website tracking; the screen asks again every few seconds.
import type { Router } from 'express';
import { router } from '../router.js';
import type { Db } from '../../engine/storage/db.js';
import { recentPageViews } from '../../engine/storage/page-views.js';
import { intParam } from '../input.js';
import { route } from '../problem.js';

export function pageViewsRouter(db: Db): Router {
  const r = router();
  r.get('/', route(async (req, res) => {
    const limit = intParam(req.query.limit, 'limit', { min: 1, max: 100, fallback: 30 });
    res.set('Cache-Control', 'no-store').json({ pageViews: await recentPageViews(db, limit) });
  }));
  return r;
}
