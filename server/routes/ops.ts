// Operations endpoints: /readyz for load balancers and orchestrators, /metrics for
// Prometheus (behind an admin API key or TEND_METRICS_TOKEN: the figures say how
// busy the business is).
import crypto from 'node:crypto';
import type { Router } from 'express';
import { router } from '../router.js';
import type { Db } from '../../engine/storage/db.js';
import { checkReadiness, type TemporalProbe } from '../../engine/ops/readiness.js';
import { createMetrics, databaseSamples, type Metrics } from '../../engine/ops/metrics.js';
import { HttpProblem } from '../http-problem.js';
import { findApiKey } from '../../engine/access/api-keys.js';
import { route } from '../problem.js';

export interface OpsDeps {
  db: Db;
  temporal?: TemporalProbe;
  metrics?: Metrics;
  /** Bearer tokens that may read /metrics (the admin API key, TEND_METRICS_TOKEN). */
  metricsTokens: string[];
}

const digest = (s: string) => crypto.createHash('sha256').update(s).digest();

export function opsRouter(deps: OpsDeps): Router {
  const r = router();
  const allowed = deps.metricsTokens.filter(Boolean).map(digest);
  r.get('/readyz', route(async (_req, res) => {
    const readiness = await checkReadiness({ db: deps.db, temporal: deps.temporal });
    res.status(readiness.ready ? 200 : 503).json(readiness);
  }));
  r.get('/metrics', route(async (req, res) => {
    const token = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1]?.trim() ?? '';
    const given = digest(token);
    // The bootstrap key, TEND_METRICS_TOKEN, or any API key of scope admin.
    const known = allowed.some((a) => crypto.timingSafeEqual(a, given)) || (token.startsWith('tend_admin_') && (await findApiKey(deps.db, token))?.scope === 'admin');
    if (!known) {
      throw new HttpProblem(401, 'Unauthorized', [{ path: '/headers/authorization', message: 'send Authorization: Bearer <admin API key or TEND_METRICS_TOKEN>' }]);
    }
    const samples = await databaseSamples(deps.db);
    const text = await (deps.metrics ?? createMetrics()).render(samples);
    res.type('text/plain; version=0.0.4; charset=utf-8').send(text);
  }));
  return r;
}
