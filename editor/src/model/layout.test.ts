import { expect, test } from 'vitest';
import { Elk as ELK } from './elk.js';
import { layoutPositions } from './layout.js';
import { catalogue, cartProgram } from './fixtures.js';
import { IN_PORT_Y, portY } from './geometry.js';

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

test('a chain is laid out straight: each output port level with the next input, where the handles are drawn', async () => {
  const doc = cartProgram();
  doc.edges.splice(1, 1); // start → check only, plus a chain of three
  doc.nodes.push({ id: 'w2', type: 'tend.wait.duration', version: 1, config: { duration: '1 day' } });
  doc.edges.push({ id: 'c1', source: 'pause', sourcePort: 'next', target: 'mail' }, { id: 'c2', source: 'mail', sourcePort: 'next', target: 'w2' });
  const pos = await layoutPositions(new ELK(), doc, catalogue);
  const y = (id: string) => pos.get(id)!.y;
  for (const [from, to] of [['start', 'check'], ['pause', 'mail'], ['mail', 'w2']] as const) {
    expect(y(from) + portY(0), `${from} → ${to}`).toBe(y(to) + IN_PORT_Y);
  }
});
