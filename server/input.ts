// Request bodies are checked against TypeBox schemas; every problem is reported with
// its JSON Pointer, and nothing is stored when there is one.
import type { Static, TSchema } from '@sinclair/typebox';
import { ajvProblems, newAjv } from '../engine/plugin/registry.js';
import { HttpProblem } from './http-problem.js';

const compiled = new WeakMap<TSchema, ReturnType<ReturnType<typeof newAjv>['compile']>>();

export function parseBody<S extends TSchema>(schema: S, body: unknown, prefix = ''): Static<S> {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = newAjv().compile(JSON.parse(JSON.stringify(schema)));
    compiled.set(schema, validate);
  }
  requireBody(body, prefix);
  if (!validate(body)) throw new HttpProblem(422, 'Invalid request', ajvProblems(validate.errors, prefix));
  return body as Static<S>;
}

/** A request that needs a JSON object and has none (no body, a bare string, the wrong Content-Type) is 400. */
export function requireBody(body: unknown, prefix = ''): asserts body is object {
  if (body === undefined || body === null || typeof body !== 'object') throw new HttpProblem(400, 'Missing body', [{ path: prefix || '/', message: 'send a JSON object with Content-Type: application/json' }]);
}

/** A yes/no query parameter: absent, `true` or `false`; anything else is 400, not silently false. */
export function flagParam(value: unknown, name: string): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new HttpProblem(400, 'Invalid query parameter', [{ path: `?${name}`, message: 'must be true or false' }]);
}

export function intParam(value: unknown, name: string, { min, max, fallback }: { min: number; max: number; fallback: number }): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new HttpProblem(400, 'Invalid query parameter', [{ path: `?${name}`, message: `must be an integer from ${min} to ${max}` }]);
  return n;
}

/** Deeper than any real document; deep enough nesting would exhaust the stack of every recursive walker. */
export const MAX_JSON_DEPTH = 64;

/**
 * An `express.json` verify hook that refuses, before parsing, bodies nested deeper
 * than `max` and strings no PostgreSQL text or jsonb can hold: a `\u0000` escape or
 * a UTF-16 surrogate escape without its pair (an emoji cut in half). It counts
 * brackets and reads escapes outside and inside strings in the raw bytes.
 */
export function refuseDeepJson(max = MAX_JSON_DEPTH) {
  return (_req: unknown, _res: unknown, buf: Buffer): void => {
    let depth = 0;
    let inString = false;
    const escaped = (at: number) => (buf[at] === 0x5c && buf[at + 1] === 0x75 ? parseInt(buf.toString('latin1', at + 2, at + 6), 16) : NaN);
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i];
      if (inString) {
        if (c === 0x5c) {
          const code = escaped(i);
          if (code === 0) throw unstorable(buf, 'a NUL character (\\u0000)');
          if (code >= 0xdc00 && code <= 0xdfff) throw unstorable(buf, 'half of a UTF-16 surrogate pair');
          if (code >= 0xd800 && code <= 0xdbff) {
            const low = escaped(i + 6);
            if (!(low >= 0xdc00 && low <= 0xdfff)) throw unstorable(buf, 'half of a UTF-16 surrogate pair');
            i += 11; // both escapes
          } else i++; // skip the escaped byte
        } else if (c === 0x22) inString = false;
      } else if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) {
        if (++depth > max) throw new HttpProblem(422, 'Too deeply nested', [{ path: '/', message: `JSON may be nested at most ${max} levels deep` }]);
      } else if (c === 0x7d || c === 0x5d) depth--;
    }
  };
}

function unstorable(buf: Buffer, what: string): HttpProblem {
  return new HttpProblem(422, 'Invalid text', [{ path: badStringPath(buf) ?? '/', message: `a string holds ${what}, which cannot be stored` }]);
}

/** The JSON Pointer of the first string (or key) no PostgreSQL text can hold: found only once the scan saw one, so the common body pays nothing. */
function badStringPath(buf: Buffer): string | undefined {
  let value: unknown;
  try { value = JSON.parse(buf.toString('utf8')); } catch { return undefined; }
  const bad = (t: string) => /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(t);
  const seg = (k: string | number) => '/' + String(k).replace(/~/g, '~0').replace(/\//g, '~1');
  const walk = (v: unknown, at: string): string | undefined => {
    if (typeof v === 'string') return bad(v) ? at || '/' : undefined;
    if (Array.isArray(v)) { for (const [i, x] of v.entries()) { const f = walk(x, at + seg(i)); if (f) return f; } return undefined; }
    if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) { if (bad(k)) return at + seg(k); const f = walk(x, at + seg(k)); if (f) return f; }
    }
    return undefined;
  };
  return walk(value, '');
}

/** The longest value a query parameter may have (the API document says it of each). */
export const MAX_QUERY_VALUE = 1000;

/**
 * Refuses a URL with a NUL byte (%00) in its path or query (no id or search text holds
 * one), and a query parameter longer than MAX_QUERY_VALUE, with the parameter named:
 * no search, email or id is that long, and past 16 kB Node would answer a bare 431.
 */
export function refuseOddUrls(req: { originalUrl: string }, _res: unknown, next: (err?: unknown) => void): void {
  if (/%00/.test(req.originalUrl)) return next(new HttpProblem(400, 'Invalid URL', [{ path: '/', message: 'the URL holds a NUL character (%00)' }]));
  const query = req.originalUrl.indexOf('?');
  if (query >= 0) {
    const long = [...new URLSearchParams(req.originalUrl.slice(query + 1))].filter(([, v]) => v.length > MAX_QUERY_VALUE).map(([k]) => k);
    if (long.length) return next(new HttpProblem(400, 'Invalid query parameter', long.map((k) => ({ path: `?${k}`, message: `at most ${MAX_QUERY_VALUE} characters` }))));
  }
  next();
}
