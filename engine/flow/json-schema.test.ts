// The repo publishes the flow document's JSON Schema as a file (for editors, CI
// linting of templates, other languages); it must say what the code accepts.
import fs from 'node:fs';
import { expect, test } from 'vitest';
import { Ajv } from 'ajv';
import { flowJsonSchema } from './json-schema.js';

const file = new URL('../../engine/flow/tend.flow.v1.schema.json', import.meta.url);
const published = JSON.parse(fs.readFileSync(file, 'utf8'));

test('the published schema file is what the code generates (run `npm run schema` after changing document.ts)', () => {
  expect(published).toEqual(flowJsonSchema());
});

test('a standard JSON Schema validator accepts a program and names what is wrong with a bad one', () => {
  const check = new Ajv({ allErrors: true, strict: false }).compile(published);
  const program = {
    format: 'tend.flow/v1',
    name: 'Welcome',
    nodes: [{ id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } }],
    edges: [],
  };
  expect(check(program)).toBe(true);
  expect(check({ ...program, name: undefined, format: 'tend.flow/v9' })).toBe(false);
  const messages = (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  expect(messages).toContain(" must have required property 'name'");
  expect(messages.some((m) => m.startsWith('/format'))).toBe(true);
});
