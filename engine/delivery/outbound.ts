// Outbound HTTP on behalf of programs and providers (webhook node, CRM tasks, the SMS
// provider). Before connecting, the host name is resolved and every address checked:
// loopback, private, link-local and unique-local targets are refused (SSRF) unless
// TEND_HTTP_ALLOW permits them. The connection then goes to exactly the addresses that
// were checked, so a DNS answer that changes in between (rebinding) cannot slip past.
import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { NotRetryableError } from '../plugin/index.js';
import { blockedReason, parseAllowList, parseIp } from './ip-ranges.js';

/** The target may not be called: final, never retried. */
export class RefusedTargetError extends NotRetryableError {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedTargetError';
  }
}

export interface OutboundRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  /** Longer bodies are cut here (default 64 KiB). */
  maxBodyBytes?: number;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Outbound {
  /** Resolves and checks the URL's host; throws RefusedTargetError for a refused one. */
  check(url: string): Promise<{ url: URL; addresses?: { address: string; family: number }[] }>;
  /** Calls the URL after `check`; redirects are returned, not followed. */
  request(req: OutboundRequest): Promise<OutboundResponse>;
}

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => dns.lookup(host, { all: true, verbatim: true });

/**
 * @example
 * const outbound = createOutbound({ allow: process.env.TEND_HTTP_ALLOW });
 * await outbound.request({ method: 'POST', url: 'https://crm.example.com/hook', body: '{}' });
 */
export function createOutbound(opts: { allow?: string; resolve?: Resolver } = {}): Outbound {
  const allow = parseAllowList(opts.allow);
  const resolve = opts.resolve ?? systemResolver;

  async function check(raw: string) {
    let url: URL;
    try { url = new URL(raw); } catch { throw new RefusedTargetError(`refused: "${raw.slice(0, 200)}" is not a URL`); }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RefusedTargetError(`refused: ${url.protocol} URLs are not called`);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    if (allow.allowsHost(host, port)) return { url };
    const literal = parseIp(host);
    const addresses = literal ? [{ address: host, family: literal.v6 ? 6 : 4 }] : await resolve(host);
    if (!addresses.length) throw new Error(`${host} has no address`);
    for (const { address } of addresses) {
      const reason = blockedReason(address);
      if (reason && !allow.allowsAddress(address, port)) {
        const what = literal ? address : `${host} (${address})`;
        throw new RefusedTargetError(`refused: ${what} is ${reason}; not called unless TEND_HTTP_ALLOW permits it`);
      }
    }
    return { url, addresses };
  }

  return {
    check,
    async request(req) {
      const { url, addresses } = await check(req.url);
      const lookup: LookupFunction | undefined = addresses && ((_host, options, callback) => {
        if (options.all) return (callback as (e: null, a: typeof addresses) => void)(null, addresses);
        callback(null, addresses[0]!.address, addresses[0]!.family);
      });
      const max = req.maxBodyBytes ?? 64 * 1024;
      const body = req.body === undefined ? undefined : Buffer.from(req.body);
      const headers = { 'user-agent': 'Tend', ...req.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
      return new Promise<OutboundResponse>((done, fail) => {
        const call = (url.protocol === 'https:' ? https : http).request(url, { method: req.method, headers, lookup, signal: AbortSignal.timeout(req.timeoutMs ?? 30000) }, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          let settled = false;
          const finish = () => {
            if (settled) return;
            settled = true;
            const flat = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]));
            done({ status: res.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks).subarray(0, max).toString('utf8') });
          };
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            size += chunk.length;
            if (size >= max) { finish(); res.destroy(); }
          });
          res.on('end', finish);
          res.on('error', (err) => { if (!settled) fail(err); });
        });
        call.on('error', fail);
        call.end(body);
      });
    },
  };
}
