import { expect, test } from 'vitest';
import { checkConnection } from './connections.js';
import { catalogue, cartProgram } from './fixtures.js';
import { connect } from './edit.js';

const doc = cartProgram();
const reason = (r: ReturnType<typeof checkConnection>) => (r.ok ? '' : r.reason);

test('a free output port may lead to any non-trigger node', () => {
  expect(checkConnection(doc, catalogue, { source: 'check', sourcePort: 'no', target: 'pause' })).toEqual({ ok: true });
});

test('nothing leads into a trigger', () => {
  expect(reason(checkConnection(doc, catalogue, { source: 'mail', sourcePort: 'next', target: 'start' }))).toMatch(/is a trigger/);
});

test('a node cannot lead to itself', () => {
  expect(reason(checkConnection(doc, catalogue, { source: 'pause', sourcePort: 'next', target: 'pause' }))).toMatch(/cannot lead to itself/);
});

test('one edge per output port, naming where it already leads', () => {
  expect(reason(checkConnection(doc, catalogue, { source: 'check', sourcePort: 'yes', target: 'pause' }))).toMatch(/Output “Yes” of “check” already leads to “mail”/);
  // Reconnecting the existing edge itself is allowed.
  expect(checkConnection(doc, catalogue, { source: 'check', sourcePort: 'yes', target: 'pause' }, 'e2').ok).toBe(true);
});

test('the port must exist on the source', () => {
  expect(reason(checkConnection(doc, catalogue, { source: 'mail', sourcePort: 'yes', target: 'pause' }))).toMatch(/has no output “yes”/);
});

test('a loop without a wait is refused, and the loop is named', () => {
  const r = checkConnection(doc, catalogue, { source: 'mail', sourcePort: 'next', target: 'check' });
  expect(reason(r)).toMatch(/loop \(“check” → “mail” → “check”\) with no wait/);
});

test('a loop through a wait is allowed', () => {
  const withWait = connect(connect(doc, 'mail', 'next', 'pause'), 'check', 'no', 'pause');
  expect(checkConnection(withWait, catalogue, { source: 'pause', sourcePort: 'next', target: 'check' }).ok).toBe(true);
});
