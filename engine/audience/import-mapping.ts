// Column mapping for imports, one set of rules for `tend contacts import` / `tend
// events import` (server/cli) and the editor's CSV import: for each field Tend stores,
// the column (CSV) or path (JSONL) it comes from and, optionally, how to read the text:
// number, boolean, json; tags split on ";" or "|". (`--map email=E-mail,
// attributes.plan=Plan,attributes.ltv:number=LTV` on the command line.)

/** One row of a file being imported. */
export interface SourceRecord {
  line: number;
  /** A value by column name (CSV) or by dot path (JSONL). */
  get(name: string): unknown;
  /** JSONL: the parsed object; CSV: the row as { header: value }. */
  raw: Record<string, unknown>;
  /** The text of the record, for ids derived from content. */
  text: string;
}

/** What a contact import may fill. */
export const CONTACT_TARGET = /^(email|externalId|contactId|phone|timezone|tags|attributes\.[A-Za-z_][A-Za-z0-9_]{0,63}|consent\.[a-z_]{1,32})$/;
/** How a contact field's text is read when the mapping does not say. */
export const contactTypeOf = (target: string): ValueType => (target === 'tags' ? 'list' : target.startsWith('consent.') ? 'boolean' : 'string');

export type ValueType = 'string' | 'number' | 'boolean' | 'json' | 'list';
export interface FieldMap { target: string; source: string; type?: ValueType }

export function parseMap(specs: string[] = []): FieldMap[] {
  return specs.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean).map((pair) => {
    const eq = pair.indexOf('=');
    if (eq < 1 || eq === pair.length - 1) throw new Error(`--map "${pair}": write field=Column, e.g. email=E-mail or attributes.plan=Plan`);
    const [target, type] = pair.slice(0, eq).trim().split(':') as [string, string | undefined];
    if (type && !['string', 'number', 'boolean', 'json', 'list'].includes(type)) throw new Error(`--map "${pair}": unknown type "${type}" (string, number, boolean, json, list)`);
    return { target, source: pair.slice(eq + 1).trim(), type: type as ValueType | undefined };
  });
}

/** The mapping in effect: the explicit one, plus columns whose header already names a field. */
export function effectiveMap(explicit: FieldMap[], columns: string[] | undefined, isTarget: (name: string) => boolean): { fields: FieldMap[]; ignored: string[] } {
  const fields = [...explicit];
  const used = new Set(explicit.map((m) => m.source));
  const mapped = new Set(explicit.map((m) => m.target));
  for (const c of columns ?? []) {
    if (used.has(c)) continue;
    if (isTarget(c) && !mapped.has(c)) { fields.push({ target: c, source: c }); used.add(c); }
  }
  return { fields, ignored: (columns ?? []).filter((c) => !used.has(c)) };
}

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

/** Reads one value; undefined for an empty cell (the field is left as it is). */
export function convert(value: unknown, type: ValueType): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return value; // JSONL values keep their JSON type
  const text = value.trim();
  if (text === '') return undefined;
  switch (type) {
    case 'string': return value;
    case 'number': {
      const n = Number(text);
      if (!Number.isFinite(n)) throw new Error(`"${value}" is not a number`);
      return n;
    }
    case 'boolean':
      if (TRUE.has(text.toLowerCase())) return true;
      if (FALSE.has(text.toLowerCase())) return false;
      throw new Error(`"${value}" is not yes/no, true/false or 1/0`);
    case 'json':
      try { return JSON.parse(text); } catch { throw new Error(`"${value}" is not JSON`); }
    case 'list': return text.split(/[;|]/).map((t) => t.trim()).filter(Boolean);
  }
}

/** Sets `a.b.c` in an object, creating the levels between. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
  cur[parts.at(-1)!] = value;
}

export interface Built { body: Record<string, unknown>; errors: { path: string; message: string }[] }

/** Builds one request body from a record; conversion problems name the field and its column. */
export function build(record: SourceRecord, fields: FieldMap[], typeOf: (target: string) => ValueType): Built {
  const body: Record<string, unknown> = {};
  const errors: Built['errors'] = [];
  for (const f of fields) {
    try {
      const v = convert(record.get(f.source), f.type ?? typeOf(f.target));
      if (v !== undefined) setPath(body, f.target, v);
    } catch (err) {
      errors.push({ path: '/' + f.target.replace(/\./g, '/'), message: (err as Error).message });
    }
  }
  return { body, errors };
}

/** "/attributes/plan must be string" → `attributes.plan (column "Plan") must be string`. */
export function describeProblem(p: { path: string; message: string }, fields: FieldMap[]): string {
  const target = p.path.replace(/^\//, '').replace(/\//g, '.');
  const f = fields.find((m) => m.target === target || target.startsWith(m.target + '.'));
  const where = target ? (f && f.source !== f.target ? `${target} (column "${f.source}")` : target) : 'row';
  return `${where}: ${p.message}`;
}

/** Splits into request-sized chunks: at most `count` items and about `bytes` of JSON each. */
export function chunks<T>(items: T[], count: number, bytes: number): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let size = 0;
  for (const item of items) {
    const s = JSON.stringify(item).length + 1;
    if (cur.length && (cur.length >= count || size + s > bytes)) { out.push(cur); cur = []; size = 0; }
    cur.push(item);
    size += s;
  }
  if (cur.length) out.push(cur);
  return out;
}
