// /api/messaging-policy: consent model per channel, frequency caps across programs,
// quiet hours. One document; PUT replaces it (parts left out take their defaults).
import type { Router } from 'express';
import { router } from '../router.js';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import { MessagingPolicyInput, policyProblems, readPolicy, withDefaults, writePolicy } from '../../engine/delivery/channel-policy.js';
import { parseBody } from '../input.js';
import { route } from '../problem.js';

export function messagingPolicyRouter(db: Db): Router {
  const r = router();
  r.get('/', route(async (_req, res) => {
    res.json(await readPolicy(db));
  }));
  r.put('/', route(async (req, res) => {
    const policy = withDefaults(parseBody(MessagingPolicyInput, req.body));
    const problems = policyProblems(policy);
    if (problems.length) throw new HttpProblem(422, 'Invalid messaging policy', problems);
    await writePolicy(db, policy);
    res.json(policy);
  }));
  return r;
}
