// Compiles the condition language (engine/plugin/conditions.ts) to a SQL predicate over a
// contact row `c`, so a segment is evaluated where the data is: for one contact when
// something about it changes, for everyone when a segment is defined or previewed.
// Every comparison mirrors `compare()` in conditions.ts (numbers and numeric strings
// compare as numbers, strings compare case-insensitively, a missing field is false);
// test/integration/segment-sql.test.ts holds the two side by side.
import { isFact, type Comparison, type Condition, type Fact, type Operator } from '../plugin/conditions.js';
import { durationMs } from '../plugin/duration.js';

/** Collects the query's parameters and hands out their placeholders. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const COLUMNS: Record<string, string> = {
  id: 'to_jsonb(c.id::text)',
  email: 'to_jsonb(c.email)',
  phone: 'to_jsonb(c.phone)',
  timezone: 'to_jsonb(c.timezone)',
  externalId: 'to_jsonb(c.external_id)',
  score: 'to_jsonb(c.score)',
  tags: 'to_jsonb(c.tags)',
  unsubscribed: 'to_jsonb(c.unsubscribed_at IS NOT NULL)',
  createdAt: `to_jsonb(to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`,
  segments: `(SELECT COALESCE(jsonb_agg(s.key), '[]'::jsonb) FROM segment_members m JOIN segments s ON s.id = m.segment_id WHERE m.contact_id = c.id)`,
};
const DOCUMENTS: Record<string, string> = { attributes: 'c.attributes', consent: 'c.consent' };
const NOTHING = 'NULL::jsonb';

/** The JSON value a field path names, as a SQL expression (NULL when there is none). */
function fieldSql(field: string, params: Params): string {
  const [root, head, ...rest] = field.split('.');
  if (root === 'contact') {
    if (head === undefined) return NOTHING;
    if (head in DOCUMENTS) return rest.length ? `(${DOCUMENTS[head]} #> ${params.add(rest)}::text[])` : DOCUMENTS[head]!;
    if (head in COLUMNS) return rest.length ? NOTHING : COLUMNS[head]!;
    return NOTHING;
  }
  if (root === 'event') {
    // Inside a fact: one row `e` of the events table.
    if (head === 'type') return rest.length ? NOTHING : 'to_jsonb(e.type)';
    if (head === 'id') return rest.length ? NOTHING : 'to_jsonb(e.id::text)';
    if (head === 'occurredAt') return rest.length ? NOTHING : `to_jsonb(to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;
    if (head === 'properties') return rest.length ? `(e.properties #> ${params.add(rest)}::text[])` : 'e.properties';
    return NOTHING;
  }
  throw new Error(`field "${field}" cannot be read in a segment`);
}

const isNumeric = (x: unknown): boolean => typeof x === 'number' || (typeof x === 'string' && x.trim() !== '' && !Number.isNaN(Number(x)));
const text = (v: string) => `(${v} #>> '{}')`;

function equalSql(v: string, expected: unknown, params: Params): string {
  if (expected === undefined) return `(${v} IS NULL)`;
  if (typeof expected === 'number') return `(tend_num(${v}) = ${params.add(expected)}::numeric)`;
  if (typeof expected === 'string') {
    const e = params.add(expected);
    const asNumber = isNumeric(expected) ? `WHEN 'number' THEN tend_num(${v}) = ${params.add(Number(expected))}::numeric ` : '';
    return `(CASE jsonb_typeof(${v}) WHEN 'string' THEN lower(${text(v)}) = lower(${e}::text) ${asNumber}ELSE false END)`;
  }
  return `(${v} = ${params.add(JSON.stringify(expected))}::jsonb)`;
}

/** A glob (`*` any run, `?` one character) as a LIKE pattern. */
function likePattern(glob: string): string {
  return glob.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%').replace(/\?/g, '_');
}

const ORDER: Partial<Record<Operator, string>> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };

/** False, still naming `v`: every placeholder handed out must appear in the statement. */
const never = (v: string) => `(${v} IS NULL AND false)`;

function orderedSql(v: string, op: string, expected: unknown, params: Params): string {
  if (typeof expected === 'number') return `(tend_num(${v}) ${op} ${params.add(expected)}::numeric)`;
  if (typeof expected !== 'string') return never(v);
  const asText = `(jsonb_typeof(${v}) = 'string' AND ${text(v)} COLLATE "C" ${op} ${params.add(expected)}::text COLLATE "C")`;
  if (!isNumeric(expected)) return asText;
  // A numeric string compares as a number with numbers and numeric strings, as text with other strings.
  return `(CASE WHEN tend_num(${v}) IS NOT NULL THEN tend_num(${v}) ${op} ${params.add(Number(expected))}::numeric ELSE ${asText} END)`;
}

function comparisonSql(v: string, op: Operator, expected: unknown, params: Params): string {
  const exists = `(${v} IS NOT NULL AND ${v} <> 'null'::jsonb AND ${v} <> '""'::jsonb)`;
  switch (op) {
    case 'exists': return exists;
    case 'notExists': return `NOT COALESCE(${exists}, false)`;
    case 'eq': return equalSql(v, expected, params);
    case 'neq': return `NOT COALESCE(${equalSql(v, expected, params)}, false)`;
    case 'gt': case 'gte': case 'lt': case 'lte': return orderedSql(v, ORDER[op]!, expected, params);
    case 'in': case 'nin': {
      if (!Array.isArray(expected)) return never(v);
      const any = expected.length ? `(${expected.map((e) => `COALESCE(${equalSql(v, e, params)}, false)`).join(' OR ')})` : never(v);
      return op === 'in' ? any : `NOT ${any}`;
    }
    case 'contains': case 'notContains': {
      const inString = typeof expected === 'string' ? `strpos(lower(${text(v)}), lower(${params.add(expected)}::text)) > 0` : 'false';
      const contains = `(CASE jsonb_typeof(${v}) WHEN 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements(${v}) x WHERE COALESCE(${equalSql('x', expected, params)}, false)) WHEN 'string' THEN ${inString} ELSE false END)`;
      return op === 'contains' ? contains : `NOT COALESCE(${contains}, false)`;
    }
    case 'glob':
      return typeof expected === 'string' ? `(jsonb_typeof(${v}) = 'string' AND ${text(v)} ILIKE ${params.add(likePattern(expected))}::text ESCAPE '\\')` : never(v);
    case 'startsWith':
      return typeof expected === 'string' ? `(jsonb_typeof(${v}) = 'string' AND starts_with(lower(${text(v)}), lower(${params.add(expected)}::text)))` : never(v);
  }
}

/** Where the window of a fact starts, for a query run at `now`. */
export function windowStart(fact: Fact, now: Date): Date | undefined {
  return fact.within ? new Date(now.getTime() - durationMs(fact.within)) : undefined;
}

/**
 * The events a fact counts: a FROM/WHERE clause over `events e`, for the contact
 * `contact` names (a column or a placeholder), or for everyone when it is null.
 */
export function factEventsSql(fact: Fact, params: Params, now: Date, contact: string | null = 'c.id'): string {
  const since = windowStart(fact, now);
  const parts = [`e.type = ${params.add(fact.event)}`];
  if (contact) parts.unshift(`e.contact_id = ${contact}`);
  if (since) parts.push(`e.occurred_at > ${params.add(since)}::timestamptz`);
  if (fact.where) parts.push(conditionSql(fact.where, params, now));
  return `FROM events e WHERE ${parts.join(' AND ')}`;
}

/** A fact's number for the contact `c`, as a SQL expression. */
export function factValueSql(fact: Fact, params: Params, now: Date): string {
  const from = factEventsSql(fact, params, now);
  if (fact.fact === 'count') return `(SELECT count(*) ${from})`;
  const path = fact.property!.split('.').slice(1);
  return `(SELECT COALESCE(sum(tend_num(e.properties #> ${params.add(path)}::text[])), 0) ${from})`;
}

/** A SQL predicate (never NULL) that holds exactly when the condition does. */
export function conditionSql(cond: Condition, params: Params, now: Date): string {
  if ('all' in cond) return cond.all.length ? `(${cond.all.map((c) => conditionSql(c, params, now)).join(' AND ')})` : 'true';
  if ('any' in cond) return cond.any.length ? `(${cond.any.map((c) => conditionSql(c, params, now)).join(' OR ')})` : 'false';
  if ('not' in cond) return `(NOT ${conditionSql(cond.not, params, now)})`;
  if (isFact(cond)) return `COALESCE(${comparisonSql(`to_jsonb(${factValueSql(cond, params, now)})`, cond.op, cond.value, params)}, false)`;
  const leaf = cond as Comparison;
  return `COALESCE(${comparisonSql(fieldSql(leaf.field, params), leaf.op, leaf.value, params)}, false)`;
}
