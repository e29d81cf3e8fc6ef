// Token buckets in this process's memory (TEND_RATE_LIMIT_STORE=memory): no database
// round trip, but with N servers behind a load balancer a client gets N times the limit.
import type { RateLimit, RateLimitStore } from './rate-limit.js';

interface Bucket { tokens: number; at: number }

/** Buckets of idle clients are dropped once there are this many. */
const SWEEP_AT = 10_000;

export function createMemoryStore(now: () => number = Date.now): RateLimitStore {
  const buckets = new Map<string, Bucket>();
  const refill = (b: Bucket, t: number, limit: RateLimit) => Math.min(limit.burst, b.tokens + ((t - b.at) / 1000) * limit.perSecond);

  let sweptAt = 0;
  function sweep(t: number, limit: RateLimit) {
    if (t - sweptAt < 1000) return; // at most once a second, however many clients
    sweptAt = t;
    for (const [key, b] of buckets) if (refill(b, t, limit) >= limit.burst) buckets.delete(key);
  }

  return {
    async take(group, client, limit) {
      const t = now();
      const key = `${group} ${client}`;
      const bucket = buckets.get(key) ?? { tokens: limit.burst, at: t };
      const tokens = refill(bucket, t, limit);
      const taken = tokens >= 1;
      buckets.set(key, { tokens: taken ? tokens - 1 : tokens, at: t });
      if (buckets.size > SWEEP_AT) sweep(t, limit);
      return { taken, tokens };
    },
  };
}
