// Client generators and testers read the OpenAPI document: every `$ref` in it must
// resolve inside it (a bare "Condition" reference broke seven operations before).
import { expect, test } from 'vitest';
import { openApiDocument } from '../../server/openapi.js';

test('every $ref of the OpenAPI document points at a schema it holds', () => {
  const doc = openApiDocument() as { components: { schemas: Record<string, unknown> } };
  const refs: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (k === '$ref' ? refs.push(String(x)) : walk(x));
  };
  walk(doc);
  expect(refs.length).toBeGreaterThan(20);
  const unresolved = refs.filter((r) => !r.startsWith('#/components/schemas/') || !(r.slice('#/components/schemas/'.length) in doc.components.schemas));
  expect(unresolved).toEqual([]);
  // The condition language is described once, recursively.
  expect(JSON.stringify(doc.components.schemas.Condition)).toContain('#/components/schemas/Condition');
});
