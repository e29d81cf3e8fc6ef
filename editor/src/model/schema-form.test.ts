import { expect, test } from 'vitest';
import { defaultValue, describeField, humanize, matchVariant, parseLoose, resolve, showLoose } from './schema-form.js';
import { catalogue } from './fixtures.js';
import { joinDuration, splitDuration } from './duration.js';
import { formatValue, summarise } from './summary.js';

const ifSchema = catalogue.get('tend.logic.if')!.configSchema;

test('an object schema becomes its fields in order, with titles and required flags', () => {
  const email = catalogue.get('tend.action.email')!.configSchema;
  const f = describeField(email, email);
  expect(f.kind).toBe('object');
  expect(f.properties!.map((p) => [p.key, p.required])).toEqual([['subject', true], ['html', true], ['marketing', false]]);
  expect(describeField(email.properties.subject, email, 'subject')).toMatchObject({ kind: 'template', title: 'Subject', multiline: false });
  expect(describeField(email.properties.html, email, 'html')).toMatchObject({ kind: 'template', multiline: true });
  expect(describeField(email.properties.marketing, email, 'marketing').kind).toBe('boolean');
});

test('durations, dates, numbers, enums, lists, maps and unknowns get their own widgets', () => {
  const root = {};
  expect(describeField({ type: 'string', format: 'duration' }, root).kind).toBe('duration');
  expect(describeField({ type: 'string', format: 'date-time' }, root).kind).toBe('datetime');
  expect(describeField({ type: 'integer', minimum: 1 }, root)).toMatchObject({ kind: 'number', integer: true, minimum: 1 });
  expect(describeField({ anyOf: [{ const: 'GET' }, { const: 'POST' }] }, root).options!.map((o) => o.value)).toEqual(['GET', 'POST']);
  expect(describeField({ type: 'array', items: { type: 'string' } }, root)).toMatchObject({ kind: 'list', item: { type: 'string' } });
  expect(describeField({ type: 'object', patternProperties: { '^a': { type: 'string' } } }, root)).toMatchObject({ kind: 'map', item: { type: 'string' } });
  expect(describeField({}, root, 'value').kind).toBe('json');
  expect(humanize('correlationKey')).toBe('Correlation key');
});

test('a recursive union ($ref by $id) resolves level by level, with readable variant names', () => {
  const cond = describeField(ifSchema.properties.condition, ifSchema, 'condition');
  expect(cond.kind).toBe('union');
  expect(cond.variants!.map((v) => v.label)).toEqual(['All of', 'Not', 'Comparison']);
  const inner = resolve(resolve(cond.variants![0].schema, ifSchema).properties.all.items, ifSchema);
  expect(inner.$id).toBe('Condition');
  expect(matchVariant(cond, { all: [] }, ifSchema)).toBe(0);
  expect(matchVariant(cond, { field: 'contact.score', op: 'gte', value: 1 }, ifSchema)).toBe(2);
  expect(matchVariant(cond, 42, ifSchema)).toBe(-1);
});

test('defaults: schema defaults, required parts of objects, the most specific union branch', () => {
  expect(defaultValue(catalogue.get('tend.wait.duration')!.configSchema, {})).toEqual({ duration: '1 day' });
  // A condition starts as an empty group: the builder asks for its first row in words.
  expect(defaultValue(ifSchema, ifSchema)).toEqual({ condition: { all: [] } });
  expect(defaultValue({ type: 'array', minItems: 1, items: { type: 'object', required: ['a'], properties: { a: { default: 1 } } } }, {})).toEqual([{ a: 1 }]);
});

test('loose values: numbers and JSON parse, other text stays text and round-trips', () => {
  expect(parseLoose('50')).toBe(50);
  expect(parseLoose('["a","b"]')).toEqual(['a', 'b']);
  expect(parseLoose('gold')).toBe('gold');
  expect(parseLoose('  ')).toBeUndefined();
  expect(showLoose('50')).toBe('"50"');
  expect(parseLoose(showLoose('50'))).toBe('50');
  expect(showLoose('gold')).toBe('gold');
});

test('friendly durations split and join in the engine’s words', () => {
  expect(splitDuration('3 days')).toEqual({ amount: 3, unit: 'days', negative: false });
  expect(splitDuration('90 min')).toEqual({ amount: 90, unit: 'minutes', negative: false });
  expect(splitDuration('-5 days')).toEqual({ amount: 5, unit: 'days', negative: true });
  expect(splitDuration('soon')).toBeUndefined();
  expect(joinDuration({ amount: 1, unit: 'days', negative: false })).toBe('1 day');
  expect(joinDuration({ amount: 2, unit: 'weeks', negative: true })).toBe('-2 weeks');
});

test('summaries read like sentences', () => {
  expect(summarise(catalogue.get('tend.logic.exit'), {})).toBe('Exit');
  expect(summarise(catalogue.get('tend.logic.exit'), { reason: 'bought' })).toBe('Exit: bought');
  expect(summarise(catalogue.get('tend.action.email'), { subject: 'Hello {{contact.email}}' })).toBe('“Hello {{contact.email}}”');
  expect(formatValue({ any: [{ field: 'event.properties.total', op: 'gt', value: 100 }, { not: { field: 'contact.tags', op: 'contains', value: 'vip' } }] }))
    .toBe('event.total > 100 or not (tags contains vip)');
  expect(formatValue([{ name: 'a', label: 'A' }, { name: 'b' }])).toBe('A, b');
});

test('a shared definition used by a property is titled after the property', () => {
  const root = { type: 'object', properties: { goal: { $ref: 'Condition' }, c: { $id: 'Condition', title: 'Condition', anyOf: [{ const: 1 }] } } };
  expect(describeField(root.properties.goal, root, 'goal').title).toBe('Goal');
  expect(describeField(root.properties.c, root, 'where').title).toBe('Where');
  expect(describeField(root.properties.c, root).title).toBe('Condition');
});
