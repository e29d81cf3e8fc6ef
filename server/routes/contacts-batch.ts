// POST /api/contacts/batch: up to 1,000 upserts in one request, for imports. Unlike the
// single PUT, a bad row does not refuse the request: each row is stored whole or
// rejected with its reasons (paths relative to the row), and the answer says which.
import type { RequestHandler } from 'express';
import { Type, type Static } from '@sinclair/typebox';
import type { Db } from '../../engine/storage/db.js';
import { transaction } from '../../engine/storage/db.js';
import { ajvProblems, newAjv } from '../../engine/plugin/registry.js';
import { isTimeZone } from '../../engine/plugin/zoned-time.js';
import { ConcurrentCreateError, upsertContacts, type BatchRow } from '../../engine/storage/contact-batch.js';
import { parseBody } from '../input.js';
import { route } from '../problem.js';
import { ContactUpsert } from './contact-input.js';

export const MAX_BATCH = 1000;
// Each row is checked on its own (a bad row is rejected in the answer, the others
// stored), but a row that is not even an object refuses the whole batch.
const Batch = Type.Object({ contacts: Type.Array(Type.Unsafe<Record<string, unknown>>({ type: 'object' }), { minItems: 1, maxItems: MAX_BATCH }) }, { additionalProperties: false });
let validateRow: ReturnType<ReturnType<typeof newAjv>['compile']> | undefined;

function checkRow(row: unknown): BatchRow {
  validateRow ??= newAjv().compile(JSON.parse(JSON.stringify(ContactUpsert)));
  if (!row || typeof row !== 'object' || Array.isArray(row)) return { errors: [{ path: '/', message: 'must be an object' }] };
  if (!validateRow(row)) return { errors: ajvProblems(validateRow.errors, '') };
  const r = row as Static<typeof ContactUpsert>;
  if (r.timezone && !isTimeZone(r.timezone)) return { errors: [{ path: '/timezone', message: `"${r.timezone}" is not an IANA time zone such as Europe/Berlin` }] };
  return { row: r };
}

export function contactsBatch(db: Db, onStored: () => void): RequestHandler {
  return route(async (req, res) => {
    const { contacts } = parseBody(Batch, req.body);
    const rows = contacts.map(checkRow);
    let results;
    for (let attempt = 1; ; attempt++) {
      try {
        results = await transaction(db, (tx) => upsertContacts(tx, rows));
        break;
      } catch (err) {
        // Someone created one of these contacts meanwhile: the next try finds it.
        if (!(err instanceof ConcurrentCreateError) || attempt >= 3) throw err;
      }
    }
    const count = (s: string) => results.filter((r) => r.status === s).length;
    if (count('created') + count('updated') > 0) onStored();
    res.json({ created: count('created'), updated: count('updated'), unchanged: count('unchanged'), rejected: count('rejected'), results });
  });
}
