// Tend's condition language ↔ react-querybuilder's query, and the builder's field list
// from the data catalogue (GET /api/catalogue). Pure, so it is unit-tested without a
// browser. Groups are all / any (with "not" on a group); a fact ("number of
// order_completed events in the last 30 days") is a rule whose field names the event and
// whose value carries the number and the window.
import type { RuleGroupType, RuleType } from 'react-querybuilder';
import type { DataCatalogue, ValueType } from '../../../engine/audience/data-catalogue.js';
import { OPERATOR_WORDS, type Condition, type Operator } from '../../../engine/plugin/conditions.js';

export interface BuilderField {
  name: string;
  label: string;
  type: ValueType | 'fact';
  examples: unknown[];
  group: string;
}

/** A fact rule's value in the builder: the number compared and the window. */
export interface FactValue {
  value?: number;
  within?: string;
}

const OPERATORS_BY_TYPE: Record<BuilderField['type'], Operator[]> = {
  number: ['gte', 'lte', 'gt', 'lt', 'eq', 'neq', 'exists', 'notExists'],
  string: ['eq', 'neq', 'in', 'nin', 'contains', 'notContains', 'startsWith', 'exists', 'notExists'],
  boolean: ['eq', 'neq', 'exists', 'notExists'],
  list: ['contains', 'notContains', 'exists', 'notExists'],
  date: ['gte', 'lte', 'exists', 'notExists'],
  object: ['exists', 'notExists'],
  fact: ['gte', 'lte', 'eq', 'gt', 'lt'],
};

/** The operators that fit a field's type, in words. */
export function operatorsFor(type: BuilderField['type']): { name: Operator; label: string }[] {
  return OPERATORS_BY_TYPE[type].map((op) => ({ name: op, label: type === 'date' ? (op === 'gte' ? 'is on or after' : op === 'lte' ? 'is on or before' : OPERATOR_WORDS[op]) : OPERATOR_WORDS[op] }));
}

export const FACT_PREFIX = 'fact:';
const factField = (fact: 'count' | 'sum', event: string, property?: string) => `${FACT_PREFIX}${fact}:${event}${property ? `:${property}` : ''}`;

/**
 * Every field the builder offers, grouped: the contact, its attributes seen in the data,
 * the properties of the event that started the run, and facts about past events. Fields
 * a condition already names but the data has not shown (yet) are kept, under "Other".
 */
/**
 * What a condition may read. A program's conditions read the contact, the event that
 * started the run and past events; a segment's read no event of a run and no segment
 * (membership cannot depend on membership).
 */
export interface FieldScope { runEvent: boolean; segments: boolean; /** Facts about past events; offered unless false. */ facts?: boolean }
export const PROGRAM_SCOPE: FieldScope = { runEvent: true, segments: true };
export const SEGMENT_SCOPE: FieldScope = { runEvent: false, segments: false };
/** Website content: the contact and their segments, no facts (each page view would count them; a segment does it beforehand). */
export const WEBSITE_SCOPE: FieldScope = { runEvent: false, segments: true, facts: false };

export function builderFields(catalogue: DataCatalogue | undefined, inUse: string[] = [], scope: FieldScope = PROGRAM_SCOPE): BuilderField[] {
  const fields: BuilderField[] = [];
  const seen = new Set<string>();
  const add = (f: BuilderField) => { if (!seen.has(f.name)) { seen.add(f.name); fields.push(f); } };
  for (const f of catalogue?.contact ?? []) if (scope.segments || f.path !== 'contact.segments') add({ name: f.path, label: f.label, type: f.type, examples: f.examples, group: 'Contact' });
  for (const f of catalogue?.attributes ?? []) add({ name: f.path, label: f.label, type: f.type, examples: f.examples, group: 'Contact attributes' });
  for (const e of scope.runEvent ? catalogue?.events ?? [] : []) {
    for (const p of e.properties) add({ name: p.path, label: `${p.label} (${e.type})`, type: p.type, examples: p.examples, group: 'The event that started the run' });
  }
  for (const e of scope.facts === false ? [] : catalogue?.events ?? []) {
    add({ name: factField('count', e.type), label: `Number of ${e.type} events`, type: 'fact', examples: [], group: 'Past events' });
    for (const p of e.properties.filter((p) => p.type === 'number')) {
      add({ name: factField('sum', e.type, `properties.${p.path.split('.').slice(2).join('.')}`), label: `Total ${p.label.toLowerCase()} of ${e.type} events`, type: 'fact', examples: [], group: 'Past events' });
    }
  }
  for (const name of inUse) {
    if (!seen.has(name)) add({ name, label: name.startsWith(FACT_PREFIX) ? name.slice(FACT_PREFIX.length).replace(/:/g, ' · ') : name, type: name.startsWith(FACT_PREFIX) ? 'fact' : 'string', examples: [], group: 'Other' });
  }
  return fields;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The rule for one comparison or fact. */
function toRule(cond: Record<string, unknown>): RuleType {
  if ('fact' in cond) {
    const field = factField(cond.fact === 'sum' ? 'sum' : 'count', String(cond.event ?? ''), typeof cond.property === 'string' ? cond.property : undefined);
    const value: FactValue = { value: typeof cond.value === 'number' ? cond.value : undefined, within: typeof cond.within === 'string' ? cond.within : undefined };
    return { field, operator: String(cond.op ?? 'gte'), value, ...(cond.where ? { meta: { where: cond.where } } : {}) };
  }
  return { field: String(cond.field ?? ''), operator: String(cond.op ?? ''), value: cond.value ?? '' };
}

/** A condition (or nothing yet) as the builder's query: always a group at the top. */
export function toQuery(cond: unknown): RuleGroupType {
  const item = (c: unknown): RuleGroupType | RuleType => {
    if (isObject(c) && ('all' in c || 'any' in c || 'not' in c)) return toQuery(c);
    return toRule(isObject(c) ? c : {});
  };
  if (!isObject(cond)) return { combinator: 'and', rules: [] };
  if (Array.isArray(cond.all)) return { combinator: 'and', rules: cond.all.map(item) };
  if (Array.isArray(cond.any)) return { combinator: 'or', rules: cond.any.map(item) };
  if ('not' in cond) {
    const inner = cond.not;
    if (isObject(inner) && (Array.isArray(inner.all) || Array.isArray(inner.any))) return { ...toQuery(inner), not: true };
    return { combinator: 'and', not: true, rules: [item(inner)] };
  }
  return { combinator: 'and', rules: [toRule(cond)] };
}

/** What the builder's text box holds, as the value the condition compares with. */
function typedValue(raw: unknown, op: string, type: BuilderField['type'] | undefined): unknown {
  if (op === 'exists' || op === 'notExists') return undefined;
  const one = (v: unknown): unknown => {
    if (typeof v !== 'string') return v;
    const t = v.trim();
    if (t === '') return undefined;
    if (type === 'number' && Number.isFinite(Number(t))) return Number(t);
    if (type === 'boolean' && (t === 'true' || t === 'false')) return t === 'true';
    return v;
  };
  if (op === 'in' || op === 'nin') {
    const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [];
    return list.map((v) => one(typeof v === 'string' ? v.trim() : v)).filter((v) => v !== undefined);
  }
  return one(raw);
}

/** The builder's query as a condition; `fields` gives each field's type for its values. */
export function fromQuery(query: RuleGroupType, fields: BuilderField[]): Condition {
  const typeOf = new Map(fields.map((f) => [f.name, f.type]));
  const item = (r: RuleGroupType | RuleType | string): Condition | undefined => {
    if (typeof r === 'string') return undefined; // independent combinators are not offered
    if ('rules' in r) return fromQuery(r, fields);
    if (r.field.startsWith(FACT_PREFIX)) {
      const [fact, event, property] = r.field.slice(FACT_PREFIX.length).split(':');
      const v = (isObject(r.value) ? r.value : {}) as FactValue;
      const where = (r.meta as { where?: Condition } | undefined)?.where;
      return {
        fact: fact === 'sum' ? 'sum' : 'count',
        event: event ?? '',
        ...(property ? { property } : {}),
        ...(where ? { where } : {}),
        ...(v.within ? { within: v.within } : {}),
        op: r.operator as Operator,
        ...(typeof v.value === 'number' && Number.isFinite(v.value) ? { value: v.value } : {}),
      };
    }
    const value = typedValue(r.value, r.operator, typeOf.get(r.field));
    return { field: r.field, op: r.operator as Operator, ...(value === undefined ? {} : { value }) };
  };
  const items = query.rules.map(item).filter((c): c is Condition => c !== undefined);
  const group: Condition = query.combinator === 'or' ? { any: items } : { all: items };
  return query.not ? { not: group } : group;
}

/** The field names a condition uses (so the builder can offer them even when the data has not shown them). */
export function fieldsInUse(query: RuleGroupType): string[] {
  return query.rules.flatMap((r) => (typeof r === 'string' ? [] : 'rules' in r ? fieldsInUse(r) : [r.field]));
}
