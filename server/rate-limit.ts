// Rate limits for the public endpoints (tracking, forms, open / click links, the
// unsubscribe and preference pages): a token bucket per client IP (IPv6 per /64, what
// one host usually holds) and per group of endpoints. The buckets live in a store:
// PostgreSQL, shared by every server behind a load balancer (the default), or this
// process's memory for a single server (TEND_RATE_LIMIT_STORE; engine/SECURITY.md).
import type { RequestHandler } from 'express';
import { HttpProblem } from './http-problem.js';
import { parseIp } from '../engine/delivery/ip-ranges.js';

export interface RateLimit {
  /** Requests a client may make at once. */
  burst: number;
  /** Requests per second added back, up to `burst`. */
  perSecond: number;
}

/** The defaults of TEND_RATE_LIMIT_BURST and TEND_RATE_LIMIT_PER_SECOND (engine/ops/config.ts). */
export const DEFAULT_RATE_LIMIT: RateLimit = { burst: 120, perSecond: 2 };

/** The token buckets, keyed by group of endpoints and client. */
export interface RateLimitStore {
  /**
   * Refills the bucket of `client` in `group` for the time since it was last used, then
   * takes one token if it holds at least one. `tokens` is what it held before the take.
   */
  take(group: string, client: string, limit: RateLimit): Promise<{ taken: boolean; tokens: number }>;
}

/** The client a request counts against: its IP, or the /64 of an IPv6 address. */
export function clientOf(ip: string | undefined): string {
  const parsed = ip ? parseIp(ip) : undefined;
  if (!parsed) return ip ?? 'unknown';
  if (parsed.v6 && parsed.value >> 32n !== 0xffffn) return `${(parsed.value >> 64n).toString(16)}::/64`;
  return ip!.replace(/^::ffff:/, '');
}

/**
 * A limiter over `store`; each call makes the middleware of one group of endpoints.
 * A store that fails (the database unreachable) fails the request: the problem handler
 * answers 503, as the endpoint itself would without its database.
 * @example const limit = createRateLimiter(createMemoryStore()); app.use('/t/collect', limit('tracking'))
 */
export function createRateLimiter(store: RateLimitStore, limit: RateLimit = DEFAULT_RATE_LIMIT) {
  return (group: string): RequestHandler => (req, _res, next) => {
    store.take(group, clientOf(req.ip), limit).then(({ taken, tokens }) => {
      if (taken) return next();
      const wait = Math.max(1, Math.ceil((1 - tokens) / limit.perSecond));
      next(new HttpProblem(429, 'Too many requests', [{ path: req.path, message: `at most ${limit.burst} requests at once and ${limit.perSecond} a second from one client; try again in ${wait} s` }], { headers: { 'Retry-After': String(wait) } }));
    }, next);
  };
}
