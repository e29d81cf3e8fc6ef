// The condition language in a marketer's words: what each operator reads as, and the
// problems of a condition that does not have the shape of one, said as sentences that
// name what is missing (JSON Schema's own "must match a schema in anyOf" tells a person
// nothing). registry.checkConfig replaces Ajv's messages under a condition with these.
import { FACT_MEASURES, OPERATORS } from './conditions.js';

export { OPERATOR_WORDS } from './conditions.js';

const FIELD = /^(contact|event|received)(\.[A-Za-z0-9_$-]+)*$/;
const EVENT = /^[A-Za-z0-9_.:-]{1,100}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Problem {
  path: string;
  message: string;
}

/**
 * Sentences for whatever keeps `value` from being a condition; [] when its shape is
 * right (conditionProblems then checks operands, facts and roots).
 *
 *   conditionShapeProblems({ op: 'eq' }, '/condition')
 *   // [{ path: '/condition/field', message: 'Choose a field to compare.' }]
 */
export function conditionShapeProblems(value: unknown, path: string): Problem[] {
  if (!isObject(value)) return [{ path, message: 'Add a condition here.' }];
  for (const group of ['all', 'any'] as const) {
    if (group in value) {
      const extra = Object.keys(value).filter((k) => k !== group);
      if (extra.length) return [{ path: `${path}/${extra[0]}`, message: `A group holds only its conditions; "${extra[0]}" does not belong in it.` }];
      const list = value[group];
      if (!Array.isArray(list)) return [{ path: `${path}/${group}`, message: 'This group needs a list of conditions.' }];
      return list.flatMap((c, i) => conditionShapeProblems(c, `${path}/${group}/${i}`));
    }
  }
  if ('not' in value) {
    const extra = Object.keys(value).filter((k) => k !== 'not');
    if (extra.length) return [{ path: `${path}/${extra[0]}`, message: `"Not" holds one condition; "${extra[0]}" does not belong in it.` }];
    return conditionShapeProblems(value.not, `${path}/not`);
  }
  const problems: Problem[] = [];
  const known = 'fact' in value ? ['fact', 'event', 'where', 'within', 'property', 'op', 'value'] : ['field', 'op', 'value'];
  for (const key of Object.keys(value)) if (!known.includes(key)) problems.push({ path: `${path}/${key}`, message: `"${key}" is not part of a condition.` });
  if ('fact' in value) {
    if (!(FACT_MEASURES as readonly unknown[]).includes(value.fact)) problems.push({ path: `${path}/fact`, message: 'Choose whether to count the events or add up a property.' });
    if (typeof value.event !== 'string' || !EVENT.test(value.event)) problems.push({ path: `${path}/event`, message: 'Choose the event to count.' });
    if (value.where !== undefined) problems.push(...conditionShapeProblems(value.where, `${path}/where`));
  } else if (typeof value.field !== 'string' || value.field === '') {
    problems.push({ path: `${path}/field`, message: 'Choose a field to compare.' });
  } else if (!FIELD.test(value.field)) {
    problems.push({ path: `${path}/field`, message: `"${value.field}" is not a field Tend knows: pick one from the list (contact…, event… or received…).` });
  }
  if (!(OPERATORS as readonly unknown[]).includes(value.op)) problems.push({ path: `${path}/op`, message: 'Choose how to compare (is, is at least, contains, is set …).' });
  return problems;
}

/** Ajv's problems at or under `path`: replaced by conditionShapeProblems there. */
export const isUnder = (problemPath: string, path: string): boolean => problemPath === path || problemPath.startsWith(`${path}/`);
