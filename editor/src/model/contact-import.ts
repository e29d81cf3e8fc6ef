// The editor's CSV import of contacts: reads the file and maps its columns with the
// same rules as `tend contacts import` (engine/audience/import-rows.ts, engine/audience/import-mapping.ts),
// guessing a mapping from the headers that the person then adjusts.
import { readCsv, type ReadResult } from '../../../engine/audience/import-rows.js';
import { attributeName } from './names.js';
import { build, CONTACT_TARGET, contactTypeOf, describeProblem, type FieldMap, type ValueType } from '../../../engine/audience/import-mapping.js';

export type { ReadResult };
export const readContactsCsv = (text: string): ReadResult => readCsv(text.replace(/^\uFEFF/, ''));

/** "First Name" → "first_name": the attribute a column fills by default. */
export const columnAttribute = (header: string) => attributeName(header, 'column');

const GUESSES: [RegExp, string][] = [
  [/^e-?mail( address)?$/i, 'email'],
  [/^(external[ _-]?id|customer[ _-]?id|user[ _-]?id|id)$/i, 'externalId'],
  [/^(phone|mobile|phone number)$/i, 'phone'],
  [/^(time ?zone|tz)$/i, 'timezone'],
  [/^tags?$/i, 'tags'],
];

/** What a column fills, from its header: a contact field, else an attribute of the same name. */
export function guessTarget(header: string): string {
  if (CONTACT_TARGET.test(header)) return header;
  return GUESSES.find(([re]) => re.test(header.trim()))?.[1] ?? `attributes.${columnAttribute(header)}`;
}

/** A column's mapping as the screen holds it: where it goes ('' skips it) and how to read it. */
export interface ColumnMap { column: string; target: string; type?: ValueType }

export const fieldsOf = (maps: ColumnMap[]): FieldMap[] => maps.filter((m) => m.target).map((m) => ({ source: m.column, target: m.target, ...(m.type ? { type: m.type } : {}) }));

/** Problems with the mapping itself, before any row is read. */
export function mappingProblems(maps: ColumnMap[]): string[] {
  const problems: string[] = [];
  const used = maps.filter((m) => m.target);
  if (!used.some((m) => ['email', 'externalId', 'contactId'].includes(m.target))) problems.push('Map a column to Email or External id: it names the contact.');
  const seen = new Set<string>();
  for (const m of used) {
    if (!CONTACT_TARGET.test(m.target)) problems.push(`“${m.column}” goes to ${m.target}, which a contact does not have.`);
    if (seen.has(m.target)) problems.push(`Two columns go to ${m.target}.`);
    seen.add(m.target);
  }
  return problems;
}

/** The request bodies of the rows, and the rows refused before sending (with their line and reasons). */
export function contactBodies(read: ReadResult, maps: ColumnMap[]) {
  const fields = fieldsOf(maps);
  const rejected = read.errors.map((e) => ({ line: e.line, reasons: [e.message] }));
  const ready: { line: number; body: Record<string, unknown> }[] = [];
  for (const r of read.records) {
    const { body, errors } = build(r, fields, contactTypeOf);
    if (errors.length) rejected.push({ line: r.line, reasons: errors.map((p) => describeProblem(p, fields)) });
    else ready.push({ line: r.line, body });
  }
  return { ready, rejected, fields };
}
