// The condition language (if/else, goals, filters) and human durations.
import { describe, expect, test } from 'vitest';
import { compare, conditionProblems, evaluate, readPath, type Condition } from './conditions.js';
import { addDuration, durationMs, formatDuration, parseDuration } from './duration.js';

const contact = { score: 62, tags: ['vip', 'newsletter'], attributes: { plan: 'Pro', seats: '12', country: 'DE', nested: { deep: true } }, email: 'ada@example.com' };
const event = { type: 'order_completed', properties: { total: 149.5, items: [{ sku: 'A' }], coupon: '' } };
const holds = (c: Condition) => evaluate(c, { contact, event });

describe('conditions', () => {
  test('fields are read from the contact and the triggering event', () => {
    expect(readPath({ contact }, 'contact.attributes.nested.deep')).toBe(true);
    expect(readPath({ contact }, 'contact.attributes.missing.deeper')).toBeUndefined();
    expect(readPath({ contact }, 'contact.__proto__')).toBeUndefined();
    expect(readPath({ contact }, 'contact.tags.constructor')).toBeUndefined();
  });

  test.each([
    [{ field: 'contact.score', op: 'gte', value: 50 }, true],
    [{ field: 'contact.score', op: 'lt', value: 50 }, false],
    [{ field: 'contact.attributes.seats', op: 'gt', value: 9 }, true], // numeric strings compare as numbers
    [{ field: 'contact.attributes.plan', op: 'eq', value: 'pro' }, true], // text compares without case
    [{ field: 'contact.attributes.plan', op: 'neq', value: 'free' }, true],
    [{ field: 'contact.attributes.country', op: 'in', value: ['AT', 'DE', 'CH'] }, true],
    [{ field: 'contact.attributes.country', op: 'nin', value: ['AT', 'DE'] }, false],
    [{ field: 'contact.tags', op: 'contains', value: 'VIP' }, true],
    [{ field: 'contact.tags', op: 'notContains', value: 'churned' }, true],
    [{ field: 'contact.email', op: 'contains', value: '@example.' }, true],
    [{ field: 'contact.email', op: 'startsWith', value: 'ADA' }, true],
    [{ field: 'event.properties.total', op: 'gt', value: 100 }, true],
    [{ field: 'event.properties.coupon', op: 'exists' }, false], // an empty string is no value
    [{ field: 'event.properties.coupon', op: 'notExists' }, true],
    [{ field: 'contact.attributes.unknown', op: 'gt', value: 0 }, false], // missing never compares
    [{ field: 'contact.attributes.plan', op: 'gt', value: 5 }, false], // text against a number does not compare
  ] as [Condition, boolean][])('%j → %s', (condition, expected) => {
    expect(holds(condition)).toBe(expected);
  });

  test('all, any and not combine', () => {
    expect(holds({ all: [{ field: 'contact.score', op: 'gte', value: 50 }, { not: { field: 'contact.tags', op: 'contains', value: 'churned' } }] })).toBe(true);
    expect(holds({ any: [{ field: 'contact.score', op: 'gte', value: 100 }, { field: 'event.type', op: 'eq', value: 'order_completed' }] })).toBe(true);
    expect(holds({ all: [] })).toBe(true);
    expect(holds({ any: [] })).toBe(false);
  });

  test('problems a schema cannot see, with their paths', () => {
    expect(conditionProblems({ field: 'contact.score', op: 'gte' } as Condition, '/condition')).toEqual([{ path: '/condition/value', message: 'Enter a value after “is at least”.' }]);
    expect(conditionProblems({ any: [{ field: 'contact.plan', op: 'in', value: 'pro' }] } as Condition, '/c')).toEqual([{ path: '/c/any/0/value', message: 'Pick at least one value after “is one of”.' }]);
    expect(conditionProblems({ field: 'contact.email', op: 'exists' } as Condition, '/c')).toEqual([]);
  });

  test('compare never throws on odd values', () => {
    for (const v of [null, undefined, {}, [], NaN, '', 'x']) expect(() => compare(v, 'gt', v)).not.toThrow();
  });
});

describe('durations', () => {
  test('are read in the units people write', () => {
    expect(durationMs('90 seconds')).toBe(90_000);
    expect(durationMs('90s')).toBe(90_000);
    expect(durationMs('15 min')).toBe(900_000);
    expect(durationMs('1.5 hours')).toBe(5_400_000);
    expect(durationMs('3 days')).toBe(259_200_000);
    expect(durationMs('2 weeks')).toBe(1_209_600_000);
    expect(parseDuration(' 3 days ')).toEqual({ amount: 3, unit: 'days' });
    expect(() => parseDuration('3 Days')).toThrow();
  });

  test('a duration stays within what a date, an interval and a timer hold (about a thousand years)', () => {
    for (const longest of ['9999999999 seconds', '99999999 minutes', '9999999 hours', '999999 days', '99999 weeks', '9999 months', '999 years']) {
      const at = addDuration(new Date('2026-01-01T00:00:00Z'), longest);
      expect(Number.isFinite(at.getTime()), longest).toBe(true);
      expect(at.getUTCFullYear(), longest).toBeLessThan(5000);
    }
    for (const tooLong of ['1000000000000d', '1000 years', '10000 months', '100000 weeks', '99999999999 s']) expect(() => parseDuration(tooLong), tooLong).toThrow();
  });

  test('months and years follow the calendar', () => {
    expect(addDuration(new Date('2026-01-31T10:00:00Z'), '1 month').toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addDuration(new Date('2024-02-29T00:00:00Z'), '1 year').toISOString()).toBe('2025-02-28T00:00:00.000Z');
    expect(addDuration(new Date('2026-03-15T00:00:00Z'), '6 months').toISOString()).toBe('2026-09-15T00:00:00.000Z');
  });

  test('refuse what is not a duration, saying what would be', () => {
    for (const bad of ['soon', '3', 'days', '-1 day', '1 fortnight', '']) expect(() => parseDuration(bad)).toThrow(/is not a duration such as/);
  });

  test('read back for summaries', () => {
    expect(formatDuration('1 days')).toBe('1 day');
    expect(formatDuration('3 d')).toBe('3 days');
    expect(formatDuration('45 secs')).toBe('45 seconds');
  });
});

test('condition problems are sentences a marketer can act on, never Ajv union noise', async () => {
  const { createRegistry } = await import('./registry.js');
  const registry = await createRegistry();
  const ifNode = registry.get('tend.logic.if')!;
  const check = (condition: unknown) => registry.checkConfig(ifNode, { condition }, '/nodes/0/config');
  expect(check({ op: 'eq' })).toEqual([{ path: '/nodes/0/config/condition/field', message: 'Choose a field to compare.' }]);
  expect(check({ all: [{ field: 'contact.score' }] })).toEqual([{ path: '/nodes/0/config/condition/all/0/op', message: 'Choose how to compare (is, is at least, contains, is set …).' }]);
  expect(check({ all: [] })).toEqual([{ path: '/nodes/0/config/condition/all', message: 'This “all of” group is empty: add a condition to it, or remove it.' }]);
  expect(check({ any: [{ field: 'contact.score', op: 'gte' }] })).toEqual([{ path: '/nodes/0/config/condition/any/0/value', message: 'Enter a value after “is at least”.' }]);
  expect(check({ all: [{ field: 'Score!', op: 'eq', value: 1 }] })[0]!.message).toContain('is not a field Tend knows');
  for (const bad of [{ op: 'eq' }, { all: [{ op: 'eq' }] }, { not: {} }, { fact: 'count', op: 'gte' }, 'x']) {
    for (const p of check(bad)) expect(p.message).not.toMatch(/anyOf|must have required property|must match/);
  }
});
