// The condition language shared by if/else nodes, event filters, goals and segments.
// Pure and deterministic: the workflow uses it to match events.
//
//   { "all": [ { "field": "contact.score", "op": "gte", "value": 50 },
//              { "not": { "field": "contact.tags", "op": "contains", "value": "vip" } },
//              { "fact": "count", "event": "order_completed", "within": "90 days", "op": "gte", "value": 2 } ] }
//
// A fact ("did order_completed at least 2 times in the last 90 days", "total of
// order_completed.value in 365 days") reads the contact's event history. Segments
// compute facts in SQL (engine/storage/condition-sql.ts); if/else nodes and goals ask for them
// through `measure` before evaluating. Event filters (trigger and wait `where`) see one
// event, so facts are refused there.
//
// The workflow bundle includes this module, and every new workflow evaluates its
// bundle: the JSON Schemas (and TypeBox) live in condition-schema.ts for that reason.
import { durationMs } from './duration.js';

export const OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'contains', 'notContains', 'startsWith', 'exists', 'notExists', 'glob'] as const;
export type Operator = (typeof OPERATORS)[number];

/** Field paths start with one of these roots. */
export const FIELD_ROOTS = ['contact', 'event', 'received'] as const;

/** A comparison of one field with a value. */
export interface Comparison {
  field: string;
  op: Operator;
  value?: unknown;
}

export const FACT_MEASURES = ['count', 'sum'] as const;

export type FactMeasure = (typeof FACT_MEASURES)[number];
/** A comparison on a number computed from the contact's events. */
export interface Fact {
  fact: FactMeasure;
  event: string;
  /** Over the event alone: fields start with `event.`. */
  where?: Condition;
  within?: string;
  property?: string;
  op: Operator;
  value?: unknown;
}
export type Condition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | Comparison | Fact;

export interface Scope {
  contact?: unknown;
  event?: unknown;
  received?: unknown;
  /** A fact's value, measured beforehand (see `measureFacts`); facts are false without it. */
  facts?: (fact: Fact) => number | undefined;
}

export function isFact(cond: Condition): cond is Fact {
  return 'fact' in cond;
}

/** Every fact in a condition, in order. */
export function factsIn(cond: Condition): Fact[] {
  if ('all' in cond) return cond.all.flatMap(factsIn);
  if ('any' in cond) return cond.any.flatMap(factsIn);
  if ('not' in cond) return factsIn(cond.not);
  return isFact(cond) ? [cond] : [];
}

/** A fact measured over events in memory (the plugin harness and the simulator); SQL does it in Tend. */
export function measureEvents(events: readonly { type: string; properties: Record<string, unknown>; occurredAt: string }[], fact: Fact, now: Date): number {
  const since = fact.within ? now.getTime() - durationMs(fact.within) : -Infinity;
  const counted = events.filter((e) => e.type === fact.event && Date.parse(e.occurredAt) > since && Date.parse(e.occurredAt) <= now.getTime() && (!fact.where || evaluate(fact.where, { event: e })));
  if (fact.fact === 'count') return counted.length;
  const path = fact.property!.split('.').slice(1).join('.');
  return counted.reduce((total, e) => {
    const v = readPath(e.properties, path);
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    return Number.isFinite(n) ? total + n : total;
  }, 0);
}

/**
 * Evaluates a condition that may hold facts: measures each fact first (one call per
 * fact, e.g. a SQL query), then evaluates synchronously.
 */
export async function evaluateMeasured(cond: Condition, scope: Omit<Scope, 'facts'>, measure: (fact: Fact) => Promise<number>): Promise<boolean> {
  const facts = factsIn(cond);
  const values = new Map<Fact, number>();
  for (const f of facts) values.set(f, await measure(f));
  return evaluate(cond, { ...scope, facts: (f) => values.get(f) });
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
  if (isFact(cond)) return compare(scope.facts?.(cond), cond.op, cond.value);
  return compare(readPath(scope, cond.field), cond.op, cond.value);
}

/** How each operator reads in the editor and in messages (a few bytes in the workflow bundle). */
export const OPERATOR_WORDS: Record<Operator, string> = {
  eq: 'is', neq: 'is not', gt: 'is more than', gte: 'is at least', lt: 'is less than', lte: 'is at most',
  in: 'is one of', nin: 'is none of', contains: 'contains', notContains: 'does not contain', startsWith: 'starts with',
  exists: 'is set', notExists: 'is not set', glob: 'matches the pattern',
};

/** The comparison operators that need no value. */
export const UNARY: readonly Operator[] = ['exists', 'notExists'];

export interface ConditionRules {
  /** Whether facts about the contact's event history may be used (not in event filters). */
  facts?: boolean;
  /** The field roots allowed; all of FIELD_ROOTS when unset. */
  roots?: readonly string[];
}

/**
 * Problems a schema cannot see: a binary operator with no value, `in` without a list,
 * a fact where there is no history to read, a field root the place does not offer.
 */
export function conditionProblems(cond: Condition, path: string, rules: ConditionRules = {}): { path: string; message: string }[] {
  // An empty group is true for everyone ("all of nothing") or no one: never what was meant.
  if ('all' in cond && cond.all.length === 0) return [{ path: `${path}/all`, message: 'This “all of” group is empty: add a condition to it, or remove it.' }];
  if ('any' in cond && cond.any.length === 0) return [{ path: `${path}/any`, message: 'This “any of” group is empty: add a condition to it, or remove it.' }];
  if ('all' in cond) return cond.all.flatMap((c, i) => conditionProblems(c, `${path}/all/${i}`, rules));
  if ('any' in cond) return cond.any.flatMap((c, i) => conditionProblems(c, `${path}/any/${i}`, rules));
  if ('not' in cond) return conditionProblems(cond.not, `${path}/not`, rules);
  if (isFact(cond)) {
    if (!rules.facts) return [{ path: `${path}/fact`, message: 'facts about past events can be used in if/else, goals and segments, not in event filters' }];
    const problems = cond.where ? conditionProblems(cond.where, `${path}/where`, { roots: ['event'] }) : [];
    if (cond.fact === 'sum' && !cond.property) problems.push({ path: `${path}/property`, message: 'a sum needs the property to add up, e.g. properties.value' });
    if (cond.fact === 'count' && cond.property) problems.push({ path: `${path}/property`, message: 'a count takes no property' });
    return [...problems, ...operandProblems(cond, path)];
  }
  const root = cond.field.split('.')[0]!;
  if (rules.roots && !rules.roots.includes(root)) return [{ path: `${path}/field`, message: `"${root}." cannot be used here; use ${rules.roots.map((r) => `"${r}."`).join(' or ')}` }];
  return operandProblems(cond, path);
}

function operandProblems(cond: Comparison | Fact, path: string): { path: string; message: string }[] {
  if (!UNARY.includes(cond.op) && (cond.value === undefined || cond.value === '')) return [{ path: `${path}/value`, message: `Enter a value after “${OPERATOR_WORDS[cond.op]}”.` }];
  if ((cond.op === 'in' || cond.op === 'nin') && (!Array.isArray(cond.value) || cond.value.length === 0)) return [{ path: `${path}/value`, message: `Pick at least one value after “${OPERATOR_WORDS[cond.op]}”.` }];
  return [];
}
