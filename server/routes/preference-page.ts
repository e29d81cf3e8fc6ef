// GET /api/preference-page/preview: the hosted preference page as a subscriber with no
// choices made sees it, with this Tend's topics, for the Messages screen to show in a
// sandboxed frame (no script, no form can be sent from it). The page is the one
// /preferences/:token serves (server/routes/preferences.ts), built by the same function.
import type { Router } from 'express';
import { router } from '../router.js';
import type { Db } from '../../engine/storage/db.js';
import { listTopics } from '../../engine/audience/topics.js';
import { hostedPage, preferencePageBody } from './preferences.js';
import { route } from '../problem.js';

const SAMPLE = { email: 'someone@example.com', unsubscribed: false, consent: {} };

export function preferencePageRouter(db: Db): Router {
  const r = router();
  r.get('/preview', route(async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ html: hostedPage('Email preferences', preferencePageBody(SAMPLE, await listTopics(db))) });
  }));
  return r;
}
