import { expect, test } from 'vitest';
import { templateVariables, unknownPaths } from './template-variables.js';
import type { DataCatalogue } from '../../../engine/audience/data-catalogue.js';

const catalogue: DataCatalogue = {
  sampled: { contacts: 2, events: 2 },
  contact: [{ path: 'contact.email', label: 'Email', type: 'string', examples: [], count: 2 }],
  attributes: [{ path: 'contact.attributes.firstName', label: 'First name', type: 'string', examples: ['Ada'], count: 2 }],
  events: [{ type: 'order_completed', count: 2, contacts: 2, properties: [{ path: 'event.properties.total', label: 'Total', type: 'number', examples: [10], count: 2 }] }],
  segments: [],
  stages: [],
};

test('a path the data never carried is flagged with the nearest one seen; known paths and built-in fields are not', () => {
  const vars = templateVariables(catalogue);
  expect(vars.map((v) => v.path)).toEqual(['contact.email', 'contact.attributes.firstName', 'event.properties.total']);
  expect(unknownPaths('Hi {{contact.attributes.firstname}}, {{contact.email}} {{contact.score}}', vars)).toEqual([{ path: 'contact.attributes.firstname', suggestion: 'contact.attributes.firstName' }]);
  expect(unknownPaths('{{#if event.properties.totl}}{{default contact.attributes.firstName "there"}}{{/if}}', vars)).toEqual([{ path: 'event.properties.totl', suggestion: 'event.properties.total' }]);
  expect(unknownPaths('{{contact.attributes.shoe_size}}', vars)).toEqual([{ path: 'contact.attributes.shoe_size' }]);
  expect(unknownPaths('{{contact.attributes.anything}}', templateVariables(undefined))).toEqual([]);
});
