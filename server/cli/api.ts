// The CLI's client for a running Tend's HTTP API: base URL and key from flags or the
// environment, JSON in and out, and problem+json turned into readable errors.
import { apiTargetOf } from '../../engine/ops/config.js';

export interface ApiOptions {
  url?: string;
  apiKey?: string;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly title: string, readonly errors: { path: string; message: string }[]) {
    super(`${status} ${title}${errors.length ? '\n' + errors.map((e) => `  ${e.path} ${e.message}`).join('\n') : ''}`);
    this.name = 'ApiError';
  }
}

export interface Api {
  url: string;
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

export function createApi(opts: ApiOptions, env = process.env): Api {
  const target = apiTargetOf(env);
  const url = (opts.url ?? target.url ?? 'http://localhost:3000').replace(/\/$/, '');
  const apiKey = opts.apiKey ?? target.apiKey;
  if (!apiKey) throw new Error('no API key: pass --api-key or set TEND_API_KEY (`tend start` prints it)');
  return {
    url,
    async request(method, path, body) {
      let res: Response;
      try {
        res = await fetch(url + path, {
          method,
          headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (err) {
        throw new Error(`cannot reach Tend at ${url} (${(err as Error).cause ? String(((err as Error).cause as Error).message) : (err as Error).message}); is it running? Set --url or TEND_URL`, { cause: err });
      }
      const text = await res.text();
      let parsed: unknown = text;
      try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
      if (!res.ok) {
        const p = (parsed ?? {}) as { title?: string; errors?: { path: string; message: string }[] };
        throw new ApiError(res.status, p.title ?? res.statusText, Array.isArray(p.errors) ? p.errors : []);
      }
      return parsed as never;
    },
  };
}
