import { expect, test } from 'vitest';
import { searchNodes } from './search.js';
import { cartProgram, catalogue } from './fixtures.js';

test('nodes are found by label, type title, id and settings text, case-insensitively', () => {
  const doc = cartProgram();
  expect(searchNodes(doc, catalogue, '')).toEqual([]);
  expect(searchNodes(doc, catalogue, 'SEND EMAIL')).toEqual(['mail']);
  expect(searchNodes(doc, catalogue, 'check')).toContain('check');
  expect(searchNodes(doc, catalogue, 'no such thing')).toEqual([]);
});
