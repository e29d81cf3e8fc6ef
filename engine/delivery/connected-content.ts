// Connected content: JSON fetched when a message is sent (product recommendations, an
// account balance), through the same guard as webhooks (engine/delivery/outbound.ts: private
// addresses refused unless TEND_HTTP_ALLOW names them), with a timeout, and kept per
// URL for a while so a campaign to many contacts asks a shared URL once. A fetch that
// fails answers with its reason; the node then uses its fallback. What was fetched is
// recorded on the message (messages.connected).
import type { Outbound } from './outbound.js';
import type { FetchedJson } from '../plugin/index.js';

export const MAX_CONNECTED_BYTES = 256 * 1024;
const DEFAULT_TIMEOUT_MS = 3000;
const MAX_CACHED_URLS = 1000;


const cache = new Map<string, { until: number; data: unknown }>();

/** Forgets every cached answer (tests). */
export function forgetConnected(): void {
  cache.clear();
}

export async function fetchJson(outbound: Outbound, url: string, opts: { ttlMs: number; timeoutMs?: number }): Promise<FetchedJson> {
  const hit = cache.get(url);
  if (hit && hit.until > Date.now()) return { ok: true, data: hit.data, cached: true };
  let response;
  try {
    response = await outbound.request({ method: 'GET', url, headers: { accept: 'application/json' }, timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, maxBodyBytes: MAX_CONNECTED_BYTES });
  } catch (err) {
    return { ok: false, reason: String((err as Error).message ?? err).slice(0, 300) };
  }
  if (response.status < 200 || response.status > 299) return { ok: false, reason: `HTTP ${response.status}` };
  let data: unknown;
  try {
    data = JSON.parse(response.body);
  } catch {
    return { ok: false, reason: 'the answer is not JSON' };
  }
  if (opts.ttlMs > 0) {
    // The oldest entry goes first: a Map keeps insertion order.
    if (cache.size >= MAX_CACHED_URLS) cache.delete(cache.keys().next().value!);
    cache.delete(url);
    cache.set(url, { until: Date.now() + opts.ttlMs, data });
  }
  return { ok: true, data, cached: false };
}
