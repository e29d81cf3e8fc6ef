// Rate limits for the public endpoints (tracking, forms, open / click links, the
// unsubscribe and preference pages): a token bucket per client IP (IPv6 per /64, what
// one host usually holds) and per group of endpoints, kept in this process. With
// several servers behind a load balancer each keeps its own buckets, so a client gets
// up to N times the limit: see engine/SECURITY.md.
import type { RequestHandler } from 'express';
import { HttpProblem } from '../engine/errors.js';
import { parseIp } from '../engine/ip-ranges.js';

export interface RateLimit {
  /** Requests a client may make at once. */
  burst: number;
  /** Requests per second added back, up to `burst`. */
  perSecond: number;
}

/** The defaults of TEND_RATE_LIMIT_BURST and TEND_RATE_LIMIT_PER_SECOND (engine/config.ts). */
export const DEFAULT_RATE_LIMIT: RateLimit = { burst: 120, perSecond: 2 };

interface Bucket { tokens: number; at: number }

/** Buckets of idle clients are dropped once there are this many. */
const SWEEP_AT = 10_000;

/** The client a request counts against: its IP, or the /64 of an IPv6 address. */
export function clientOf(ip: string | undefined): string {
  const parsed = ip ? parseIp(ip) : undefined;
  if (!parsed) return ip ?? 'unknown';
  if (parsed.v6 && parsed.value >> 32n !== 0xffffn) return `${(parsed.value >> 64n).toString(16)}::/64`;
  return ip!.replace(/^::ffff:/, '');
}

/**
 * A limiter; each call makes the middleware of one group of endpoints.
 * @example app.use('/t/collect', limiter('tracking'))
 */
export function createRateLimiter(limit: RateLimit = DEFAULT_RATE_LIMIT, now: () => number = Date.now) {
  const buckets = new Map<string, Bucket>();
  const refill = (b: Bucket, t: number) => Math.min(limit.burst, b.tokens + ((t - b.at) / 1000) * limit.perSecond);

  let sweptAt = 0;
  function sweep(t: number) {
    if (t - sweptAt < 1000) return; // at most once a second, however many clients
    sweptAt = t;
    for (const [key, b] of buckets) if (refill(b, t) >= limit.burst) buckets.delete(key);
  }

  return (group: string): RequestHandler => (req, _res, next) => {
    const t = now();
    const key = `${group} ${clientOf(req.ip)}`;
    const bucket = buckets.get(key) ?? { tokens: limit.burst, at: t };
    bucket.tokens = refill(bucket, t);
    bucket.at = t;
    if (bucket.tokens < 1) {
      buckets.set(key, bucket);
      const wait = Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
      return next(new HttpProblem(429, 'Too many requests', [{ path: req.path, message: `at most ${limit.burst} requests at once and ${limit.perSecond} a second from one client; try again in ${wait} s` }], { headers: { 'Retry-After': String(wait) } }));
    }
    bucket.tokens -= 1;
    buckets.set(key, bucket);
    if (buckets.size > SWEEP_AT) sweep(t);
    next();
  };
}
