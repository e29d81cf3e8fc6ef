// `tend events import FILE.jsonl`: back-fills a contact timeline through
// POST /api/events/batch. Every event carries a client id — its own, or one derived from
// the line's content — so a re-run stores nothing twice; `occurredAt` is kept as given.
import crypto from 'node:crypto';
import path from 'node:path';
import type { Api } from './api.js';
import { ApiError } from './api.js';
import { readRecords } from './rows.js';
import { build, chunks, describeProblem, effectiveMap, parseMap, type ValueType } from '../../engine/audience/import-mapping.js';
import { progressBar } from './progress.js';
import { printReport, type Rejection } from './report.js';

const TARGET = /^(type|email|externalId|contactId|clientId|occurredAt|properties\.[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*)$/;
const typeOf = (): ValueType => 'string';

export function derivedClientId(text: string): string {
  return `import:${crypto.createHash('sha256').update(text.trim()).digest('hex').slice(0, 40)}`;
}

export async function importEvents(api: Api, file: string, opts: { map?: string[]; batchSize?: number }): Promise<number> {
  const explicit = parseMap(opts.map);
  for (const m of explicit) if (!TARGET.test(m.target)) throw new Error(`--map ${m.target}=…: events have type, email, externalId, contactId, clientId, occurredAt, properties.<name>`);
  const { columns, records, errors } = readRecords(file);
  const { fields } = effectiveMap(explicit, columns, (c) => TARGET.test(c));
  const asIs = !columns && explicit.length === 0;

  const rejected: Rejection[] = errors.map((e) => ({ line: e.line, reasons: [e.message] }));
  const ready: { line: number; body: Record<string, unknown> }[] = [];
  for (const r of records) {
    const { body, errors: problems } = asIs ? { body: { ...r.raw }, errors: [] } : build(r, fields, typeOf);
    if (problems.length) { rejected.push({ line: r.line, reasons: problems.map((p) => describeProblem(p, fields)) }); continue; }
    body.clientId ??= derivedClientId(r.text);
    ready.push({ line: r.line, body });
  }

  const counts = { stored: 0, 'already there': 0 };
  const total = records.length + errors.length;
  const bar = progressBar(total, `Importing ${path.basename(file)}`);
  let done = rejected.length;
  for (const batch of chunks(ready, opts.batchSize ?? 500, 800_000)) {
    // The batch endpoint refuses a whole request for one bad event, naming it by index:
    // set those aside with their reasons and send the rest again.
    let pending = batch;
    while (pending.length) {
      try {
        const answer = await api.request<{ events: { duplicate: boolean }[] }>('POST', '/api/events/batch', { events: pending.map((p) => p.body) });
        for (const a of answer.events) counts[a.duplicate ? 'already there' : 'stored']++;
        break;
      } catch (err) {
        const bad = err instanceof ApiError && err.status < 500 ? badRows(err) : undefined;
        if (!bad) throw err;
        for (const [index, reasons] of bad) rejected.push({ line: pending[index]!.line, reasons: reasons.map((p) => describeProblem(p, fields)) });
        pending = pending.filter((_, i) => !bad.has(i));
      }
    }
    done += batch.length;
    bar.tick(done);
  }
  bar.end();
  printReport(path.basename(file), total, Object.entries(counts), rejected);
  return rejected.length ? 2 : 0;
}

/** Problems by event index, paths made relative to the event; undefined when one names no event. */
function badRows(err: ApiError): Map<number, { path: string; message: string }[]> | undefined {
  const out = new Map<number, { path: string; message: string }[]>();
  for (const e of err.errors) {
    const m = /^\/events\/(\d+)(\/.*)?$/.exec(e.path);
    if (!m) return undefined;
    out.set(Number(m[1]), [...(out.get(Number(m[1])) ?? []), { path: m[2] ?? '/', message: e.message }]);
  }
  return out.size ? out : undefined;
}
