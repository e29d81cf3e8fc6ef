// Token buckets in PostgreSQL (TEND_RATE_LIMIT_STORE=postgres, the default), shared by
// every server behind a load balancer: one statement per request refills and takes a
// token under the row's lock, timed by the database's clock, so servers whose clocks
// disagree still count one bucket the same way. Table: migrations/120_rate_limits.sql.
import type { Db } from '../engine/storage/db.js';
import type { Log } from '../engine/ops/log.js';
import type { RateLimit, RateLimitStore } from './rate-limit.js';

/** What a bucket holds now: its tokens, plus the refill since `at`, up to the burst ($3 burst, $4 per second). */
const refilled = (tokens: string, at: string) =>
  `least($3::float8, ${tokens} + greatest(0, extract(epoch FROM now() - ${at}))::float8 * $4::float8)`;

// A new bucket starts full and gives its first token. A refused take writes nothing (the
// WHERE of DO UPDATE), so it returns no row from `taken`; what the bucket holds is then
// read beside it, for Retry-After. `at` never goes back: a transaction that started
// before the last writer's counts no time as passed rather than negative time.
const TAKE = `
WITH taken AS (
  INSERT INTO rate_limits AS b (endpoint_group, client, tokens, at) VALUES ($1, $2, $3::float8 - 1, now())
  ON CONFLICT (endpoint_group, client) DO UPDATE
    SET tokens = ${refilled('b.tokens', 'b.at')} - 1, at = greatest(b.at, now())
    WHERE ${refilled('b.tokens', 'b.at')} >= 1
  RETURNING b.tokens + 1 AS held
)
SELECT (SELECT held FROM taken) AS taken_from,
       (SELECT ${refilled('tokens', 'at')} FROM rate_limits WHERE endpoint_group = $1 AND client = $2) AS held`;

// A bucket idle for burst / perSecond seconds is full again, the same as no row at all.
const SWEEP = 'DELETE FROM rate_limits WHERE at < now() - make_interval(secs => $1::float8)';
const SWEEP_EVERY_MS = 60_000;

export function createPostgresStore(db: Db, log: Log): RateLimitStore {
  let sweptAt = 0;
  // This server's clock only spaces its own sweeps; which rows go is the database's call.
  function sweep(limit: RateLimit) {
    const t = Date.now();
    if (t - sweptAt < SWEEP_EVERY_MS) return;
    sweptAt = t;
    db.query(SWEEP, [limit.burst / limit.perSecond]).catch((err: unknown) => {
      log.warn('rate-limit sweep failed; the next one tries again', { err });
    });
  }

  return {
    async take(group, client, limit) {
      const { rows } = await db.query<{ taken_from: number | null; held: number | null }>(TAKE, [group, client, limit.burst, limit.perSecond]);
      sweep(limit);
      const takenFrom = rows[0]!.taken_from;
      if (takenFrom !== null) return { taken: true, tokens: takenFrom };
      // No row in the statement's snapshot: another server made the bucket a moment ago.
      return { taken: false, tokens: rows[0]!.held ?? 0 };
    },
  };
}
