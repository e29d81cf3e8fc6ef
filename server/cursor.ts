// The opaque page cursors of the keyset lists (contacts, messages): the last row's
// creation time (to the microsecond, as PostgreSQL keeps it) and id, as base64url JSON.
// A well-formed value that is not one Tend gave is 422, naming the parameter.
import { isUuid } from '../engine/ops/uuid.js';
import { HttpProblem } from './http-problem.js';

export type Cursor = [at: string, id: string];

export const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeCursor(raw: unknown, param: string): Cursor | undefined {
  if (raw === undefined) return undefined;
  const bad = () => new HttpProblem(422, 'Invalid query parameter', [{ path: `?${param}`, message: 'not a cursor this list gave (use the `next` of the page before)' }]);
  if (typeof raw !== 'string' || raw.length > 200) throw bad();
  let parsed: unknown;
  try { parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')); } catch { throw bad(); }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || Number.isNaN(Date.parse(parsed[0])) || !/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(parsed[0]) || typeof parsed[1] !== 'string' || !isUuid(parsed[1])) throw bad();
  return parsed as Cursor;
}
