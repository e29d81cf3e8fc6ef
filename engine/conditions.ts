// The condition language shared by if/else nodes, event filters and (later)
// segments. Pure and deterministic: the workflow uses it to match events.
//
//   { "all": [ { "field": "contact.score", "op": "gte", "value": 50 },
//              { "not": { "field": "contact.tags", "op": "contains", "value": "vip" } } ] }
import { Type, type Static, type TSchema } from '@sinclair/typebox';

export const OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'contains', 'notContains', 'startsWith', 'exists', 'notExists', 'glob'] as const;
export type Operator = (typeof OPERATORS)[number];

/** Field paths start with one of these roots. */
export const FIELD_ROOTS = ['contact', 'event', 'received'] as const;

export const Comparison = Type.Object(
  {
    field: Type.String({ minLength: 1, pattern: '^(contact|event|received)(\\.[A-Za-z0-9_$-]+)*$', description: 'A path such as contact.score, contact.attributes.plan, contact.tags, event.properties.total (the event that started the run) or received.properties.answer (the event that ended the last wait for an event)' }),
    op: Type.Union(OPERATORS.map((o) => Type.Literal(o)), { description: 'Comparison operator' }),
    value: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false, title: 'Comparison' },
);
export type Comparison = Static<typeof Comparison>;

export const Condition = Type.Recursive(
  (Self) =>
    Type.Union([
      Type.Object({ all: Type.Array(Self) }, { additionalProperties: false }),
      Type.Object({ any: Type.Array(Self) }, { additionalProperties: false }),
      Type.Object({ not: Self }, { additionalProperties: false }),
      Comparison,
    ]),
  { $id: 'Condition', title: 'Condition' },
);
export type Condition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | Comparison;

export interface Scope {
  contact?: unknown;
  event?: unknown;
  received?: unknown;
}

/** Reads `a.b.c` from a nested object; undefined when any step is missing. */
export function readPath(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function compareOrdered(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') {
    const na = Number(a), nb = Number(b);
    if (a.trim() !== '' && b.trim() !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'number' && typeof b === 'string' && b.trim() !== '' && !Number.isNaN(Number(b))) return a - Number(b);
  if (typeof a === 'string' && typeof b === 'number' && a.trim() !== '' && !Number.isNaN(Number(a))) return Number(a) - b;
  return undefined;
}

function looseEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' || typeof b === 'number') {
    const c = compareOrdered(a, b);
    return c === 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return JSON.stringify(a) === JSON.stringify(b);
}

export function compare(actual: unknown, op: Operator, expected: unknown): boolean {
  switch (op) {
    case 'exists': return actual !== undefined && actual !== null && actual !== '';
    case 'notExists': return actual === undefined || actual === null || actual === '';
    case 'eq': return looseEqual(actual, expected);
    case 'neq': return !looseEqual(actual, expected);
    case 'gt': { const c = compareOrdered(actual, expected); return c !== undefined && c > 0; }
    case 'gte': { const c = compareOrdered(actual, expected); return c !== undefined && c >= 0; }
    case 'lt': { const c = compareOrdered(actual, expected); return c !== undefined && c < 0; }
    case 'lte': { const c = compareOrdered(actual, expected); return c !== undefined && c <= 0; }
    case 'in': return Array.isArray(expected) && expected.some((e) => looseEqual(actual, e));
    case 'nin': return Array.isArray(expected) && !expected.some((e) => looseEqual(actual, e));
    case 'contains':
      if (Array.isArray(actual)) return actual.some((e) => looseEqual(e, expected));
      return typeof actual === 'string' && typeof expected === 'string' && actual.toLowerCase().includes(expected.toLowerCase());
    case 'notContains': return !compare(actual, 'contains', expected);
    case 'startsWith': return typeof actual === 'string' && typeof expected === 'string' && actual.toLowerCase().startsWith(expected.toLowerCase());
    case 'glob': return typeof actual === 'string' && typeof expected === 'string' && globMatch(expected, actual);
  }
}

/** `*` is any run of characters (slashes too), `?` one; case-insensitive: `/pricing*`, `/blog/*?ref=*`. */
export function globMatch(pattern: string, text: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'is').test(text);
}

export function evaluate(cond: Condition, scope: Scope): boolean {
  if ('all' in cond) return cond.all.every((c) => evaluate(c, scope));
  if ('any' in cond) return cond.any.some((c) => evaluate(c, scope));
  if ('not' in cond) return !evaluate(cond.not, scope);
  return compare(readPath(scope, cond.field), cond.op, cond.value);
}

/** The comparison operators that need no value. */
export const UNARY: readonly Operator[] = ['exists', 'notExists'];

/** Problems a schema cannot see: a binary operator with no value, `in` without a list. */
export function conditionProblems(cond: Condition, path: string): { path: string; message: string }[] {
  if ('all' in cond) return cond.all.flatMap((c, i) => conditionProblems(c, `${path}/all/${i}`));
  if ('any' in cond) return cond.any.flatMap((c, i) => conditionProblems(c, `${path}/any/${i}`));
  if ('not' in cond) return conditionProblems(cond.not, `${path}/not`);
  if (!UNARY.includes(cond.op) && cond.value === undefined) return [{ path: `${path}/value`, message: `operator "${cond.op}" needs a value` }];
  if ((cond.op === 'in' || cond.op === 'nin') && !Array.isArray(cond.value)) return [{ path: `${path}/value`, message: `operator "${cond.op}" needs a list of values` }];
  return [];
}

export function isSchema(x: unknown): x is TSchema {
  return typeof x === 'object' && x !== null;
}
