// Request bodies are checked against TypeBox schemas; every problem is reported with
// its JSON Pointer, and nothing is stored when there is one.
import type { Static, TSchema } from '@sinclair/typebox';
import { ajvProblems, newAjv } from '../engine/registry.js';
import { HttpProblem } from '../engine/errors.js';

const compiled = new WeakMap<TSchema, ReturnType<ReturnType<typeof newAjv>['compile']>>();

export function parseBody<S extends TSchema>(schema: S, body: unknown, prefix = ''): Static<S> {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = newAjv().compile(JSON.parse(JSON.stringify(schema)));
    compiled.set(schema, validate);
  }
  if (body === undefined || body === null || typeof body !== 'object') throw new HttpProblem(400, 'Missing body', [{ path: prefix || '/', message: 'send a JSON object with Content-Type: application/json' }]);
  if (!validate(body)) throw new HttpProblem(422, 'Invalid request', ajvProblems(validate.errors, prefix));
  return body as Static<S>;
}

export function intParam(value: unknown, name: string, { min, max, fallback }: { min: number; max: number; fallback: number }): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new HttpProblem(400, 'Invalid query parameter', [{ path: `?${name}`, message: `must be an integer from ${min} to ${max}` }]);
  return n;
}
