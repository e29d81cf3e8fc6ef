import { expect, test } from 'vitest';
import { builderFields, fromQuery, operatorsFor, toQuery } from './condition-query.js';
import type { DataCatalogue } from '../../../engine/audience/data-catalogue.js';

const catalogue: DataCatalogue = {
  sampled: { contacts: 3, events: 4 },
  contact: [{ path: 'contact.score', label: 'Score', type: 'number', examples: [], count: 3 }, { path: 'contact.tags', label: 'Tags', type: 'list', examples: ['vip'], count: 1 }],
  attributes: [{ path: 'contact.attributes.tier', label: 'Tier', type: 'string', examples: ['vip', 'regular'], count: 3 }],
  events: [{ type: 'cart_updated', count: 4, contacts: 3, properties: [{ path: 'event.properties.total', label: 'Total', type: 'number', examples: [150, 50], count: 4 }] }],
  segments: [],
  stages: [],
};

test('the fields offered: contact, attributes, event properties and facts, plus any a condition already names', () => {
  const fields = builderFields(catalogue, ['contact.attributes.legacy']);
  expect(fields.map((f) => [f.group, f.name])).toEqual([
    ['Contact', 'contact.score'],
    ['Contact', 'contact.tags'],
    ['Contact attributes', 'contact.attributes.tier'],
    ['The event that started the run', 'event.properties.total'],
    ['Past events', 'fact:count:cart_updated'],
    ['Past events', 'fact:sum:cart_updated:properties.total'],
    ['Other', 'contact.attributes.legacy'],
  ]);
  expect(operatorsFor('number').map((o) => o.label).slice(0, 2)).toEqual(['is at least', 'is at most']);
  expect(operatorsFor('list').map((o) => o.name)).toEqual(['contains', 'notContains', 'exists', 'notExists']);
});

test('conditions round-trip through the builder, values typed by their field', () => {
  const fields = builderFields(catalogue);
  const cond = {
    all: [
      { field: 'contact.attributes.tier', op: 'eq', value: 'vip' },
      { not: { any: [{ field: 'contact.tags', op: 'contains', value: 'test' }, { field: 'contact.score', op: 'exists' }] } },
      { fact: 'sum', event: 'cart_updated', property: 'properties.total', within: '30 days', op: 'gte', value: 100 },
    ],
  };
  expect(fromQuery(toQuery(cond), fields)).toEqual(cond);
  // What a person types is text; a number field stores a number, a list operator a list.
  const typed = toQuery({ all: [{ field: 'event.properties.total', op: 'gte', value: '' }, { field: 'contact.attributes.tier', op: 'in', value: '' }] });
  (typed.rules[0] as { value: unknown }).value = '100';
  (typed.rules[1] as { value: unknown }).value = 'vip, gold';
  expect(fromQuery(typed, fields)).toEqual({ all: [{ field: 'event.properties.total', op: 'gte', value: 100 }, { field: 'contact.attributes.tier', op: 'in', value: ['vip', 'gold'] }] });
  // An empty value is left out, so the validator says in words what is missing.
  expect(fromQuery(toQuery({ all: [{ field: 'contact.score', op: 'gte', value: '' }] }), fields)).toEqual({ all: [{ field: 'contact.score', op: 'gte' }] });
  // A lone comparison and a negated one come back as groups that mean the same.
  expect(fromQuery(toQuery({ field: 'contact.score', op: 'gt', value: 5 }), fields)).toEqual({ all: [{ field: 'contact.score', op: 'gt', value: 5 }] });
  expect(fromQuery(toQuery({ not: { field: 'contact.score', op: 'gt', value: 5 } }), fields)).toEqual({ not: { all: [{ field: 'contact.score', op: 'gt', value: 5 }] } });
});
