import { expect, test } from 'vitest';
import { Elk as ELK } from './elk.js';
import { layoutPositions } from './layout.js';
import { catalogue, cartProgram } from './fixtures.js';

test('auto-layout runs left to right and keeps output ports in order', async () => {
  const doc = cartProgram();
  doc.edges.push({ id: 'e3', source: 'check', sourcePort: 'no', target: 'pause' });
  const pos = await layoutPositions(new ELK(), doc, catalogue);
  const x = (id: string) => pos.get(id)!.x;
  const y = (id: string) => pos.get(id)!.y;
  expect(x('start')).toBeLessThan(x('check'));
  expect(x('check')).toBeLessThan(x('mail'));
  // "yes" is the upper port, so its target sits above the "no" target.
  expect(y('mail')).toBeLessThan(y('pause'));
  // Same document, same layout.
  expect(await layoutPositions(new ELK(), doc, catalogue)).toEqual(pos);
});
