// GET /api/secrets: the state of the secrets Tend keeps itself (the signing secret of
// unsubscribe, preference and tracking links), never their values. Rotating is a
// command (`tend secrets rotate`), run where the servers and workers are restarted.
import type { Router } from 'express';
import { router } from '../router.js';
import type { Db } from '../../engine/storage/db.js';
import { signingSecretStatus } from '../../engine/delivery/signing.js';
import { route } from '../problem.js';

export function secretsRouter(db: Db): Router {
  const r = router();
  r.get('/', route(async (_req, res) => void res.set('Cache-Control', 'no-store').json({ signing: await signingSecretStatus(db) })));
  return r;
}
