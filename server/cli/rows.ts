// Reading an import file from disk; the reading itself (CSV, JSON Lines) is
// engine/audience/import-rows.ts, shared with the editor's CSV import.
import fs from 'node:fs';
import { readCsv, readJsonl, type ReadResult } from '../../engine/audience/import-rows.js';

export type { SourceRecord } from '../../engine/audience/import-mapping.js';
export { parseCsv, readCsv, readJsonl, type ReadResult } from '../../engine/audience/import-rows.js';

export function readRecords(file: string): ReadResult {
  const content = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  return /\.jsonl?$|\.ndjson$/i.test(file) ? readJsonl(content) : readCsv(content);
}

