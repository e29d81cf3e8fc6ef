// Reading import files, the same in the \`tend\` command (server/cli/rows.ts reads the
// file) and in the editor's CSV import: CSV (RFC 4180: quoted fields, "" escapes, line
// breaks inside quotes) and JSON Lines, each record with the line number it starts on,
// so every report can point at the line to fix.
import type { SourceRecord } from './import-mapping.js';

export type ReadResult = { columns?: string[]; records: SourceRecord[]; errors: { line: number; message: string }[] };

function readPathLoose(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function readJsonl(content: string): ReadResult {
  const records: SourceRecord[] = [];
  const errors: ReadResult['errors'] = [];
  content.split(/\r?\n/).forEach((text, i) => {
    if (!text.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      errors.push({ line: i + 1, message: `not JSON: ${(err as Error).message}` });
      return;
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      errors.push({ line: i + 1, message: 'a line must be a JSON object' });
      return;
    }
    const obj = raw as Record<string, unknown>;
    records.push({ line: i + 1, raw: obj, text, get: (name) => (name in obj ? obj[name] : readPathLoose(obj, name)) });
  });
  return { records, errors };
}

/** Splits CSV into rows of fields, each row with the line it starts on. */
export function parseCsv(content: string): { line: number; fields: string[]; text: string }[] {
  const out: { line: number; fields: string[]; text: string }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let from = 0;
  const endRow = (to: number) => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) out.push({ line: start, fields, text: content.slice(from, to) });
    fields = [];
    field = '';
  };
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (quoted) {
      if (c === '"' && content[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else { if (c === '\n') line++; field += c; }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { fields.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      endRow(i);
      if (c === '\r' && content[i + 1] === '\n') i++;
      line++;
      start = line;
      from = i + 1;
    } else field += c;
  }
  if (field !== '' || fields.length) endRow(content.length);
  return out;
}

export function readCsv(content: string): ReadResult {
  const [header, ...rows] = parseCsv(content);
  if (!header) return { columns: [], records: [], errors: [] };
  const columns = header.fields.map((h) => h.trim());
  const errors: ReadResult['errors'] = [];
  const records: SourceRecord[] = [];
  for (const row of rows) {
    if (row.fields.length !== columns.length) {
      errors.push({ line: row.line, message: `has ${row.fields.length} fields, the header has ${columns.length}` });
      continue;
    }
    const raw = Object.fromEntries(columns.map((c, i) => [c, row.fields[i]]));
    records.push({ line: row.line, raw, text: row.text, get: (name) => raw[name] });
  }
  return { columns, records, errors };
}
