// `tend contacts import FILE.csv|FILE.jsonl`: upserts contacts through
// POST /api/contacts/batch, 1,000 rows a request. A row is stored whole or rejected with
// its line and reasons; a re-run of the same file finds every contact unchanged.
import path from 'node:path';
import type { Api } from './api.js';
import { readRecords } from './rows.js';
import { build, chunks, contactTypeOf, CONTACT_TARGET, describeProblem, effectiveMap, parseMap } from '../../engine/audience/import-mapping.js';
import { progressBar } from './progress.js';
import { printReport, type Rejection } from './report.js';

const TARGET = CONTACT_TARGET;
const typeOf = contactTypeOf;

interface BatchAnswer {
  results: ({ index: number; status: 'created' | 'updated' | 'unchanged'; id: string } | { index: number; status: 'rejected'; errors: { path: string; message: string }[] })[];
}

export async function importContacts(api: Api, file: string, opts: { map?: string[]; batchSize?: number }): Promise<number> {
  const explicit = parseMap(opts.map);
  for (const m of explicit) if (!TARGET.test(m.target)) throw new Error(`--map ${m.target}=…: contacts have email, externalId, contactId, phone, timezone, tags, attributes.<name>, consent.<channel>`);
  const { columns, records, errors } = readRecords(file);
  const { fields, ignored } = effectiveMap(explicit, columns, (c) => TARGET.test(c));
  if (columns && ignored.length) process.stderr.write(`Columns not imported: ${ignored.join(', ')} (map them with --map attributes.<name>=<column>)\n`);
  // JSON Lines without a mapping are contacts already: sent as they are.
  const asIs = !columns && explicit.length === 0;

  const rejected: Rejection[] = errors.map((e) => ({ line: e.line, reasons: [e.message] }));
  const ready: { line: number; body: Record<string, unknown> }[] = [];
  for (const r of records) {
    const { body, errors: problems } = asIs ? { body: r.raw, errors: [] } : build(r, fields, typeOf);
    if (problems.length) rejected.push({ line: r.line, reasons: problems.map((p) => describeProblem(p, fields)) });
    else ready.push({ line: r.line, body });
  }

  const counts = { created: 0, updated: 0, unchanged: 0 };
  const total = records.length + errors.length;
  const bar = progressBar(total, `Importing ${path.basename(file)}`);
  let done = rejected.length;
  bar.tick(done);
  // In file order, one batch after another: when two rows name one contact, the later wins.
  for (const batch of chunks(ready, opts.batchSize ?? 1000, 800_000)) {
    const answer = await api.request<BatchAnswer>('POST', '/api/contacts/batch', { contacts: batch.map((b) => b.body) });
    for (const r of answer.results) {
      const line = batch[r.index]!.line;
      if (r.status === 'rejected') rejected.push({ line, reasons: r.errors.map((p) => describeProblem(p, fields)) });
      else counts[r.status]++;
    }
    done += batch.length;
    bar.tick(done);
  }
  bar.end();
  printReport(path.basename(file), total, Object.entries(counts), rejected);
  return rejected.length ? 2 : 0;
}
