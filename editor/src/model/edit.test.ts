import { expect, test } from 'vitest';
import { catalogue, cartProgram } from './fixtures.js';
import { insertOnEdge, moveOntoEdge, newNode, removeElements, updateNode } from './edit.js';
import type { FlowDocument } from './catalogue.js';
import { copySelection, isClip, pasteClip, pasteOffset } from './clipboard.js';
import { NODE_WIDTH } from './geometry.js';
import { emptyHistory, record, redo, undo } from './history.js';
import { freshEdgeId, freshId } from './ids.js';

test('a new node gets a readable unique id and its schema defaults', () => {
  const doc = cartProgram();
  const wait = newNode(doc, catalogue.get('tend.wait.duration')!, { x: 10.2, y: 5.7 });
  expect(wait).toEqual({ id: 'duration', type: 'tend.wait.duration', version: 1, config: { duration: '1 day' }, position: { x: 10, y: 6 } });
  const split = newNode(doc, catalogue.get('tend.logic.split')!, { x: 0, y: 0 });
  expect(split.config.variants).toHaveLength(2);
  expect(freshId('mail', new Set(['mail', 'mail_2']))).toBe('mail_3');
  expect(freshEdgeId(new Set(['e1', 'e7', 'x']))).toBe('e8');
});

test('dropping a node on an edge splices it in: source → new → old target', () => {
  const doc = cartProgram();
  const wait = newNode(doc, catalogue.get('tend.wait.duration')!, { x: 500, y: 0 });
  const next = insertOnEdge(doc, catalogue, 'e2', wait);
  expect(next.edges).toEqual([
    { id: 'e1', source: 'start', sourcePort: 'next', target: 'check' },
    { id: 'e2', source: 'check', sourcePort: 'yes', target: 'duration' },
    { id: 'e3', source: 'duration', sourcePort: 'next', target: 'mail' },
  ]);
  // The new node clears its source (check ends at 548), the old target moves right to
  // make room after it, and the source stays.
  expect(next.nodes.find((n) => n.id === 'duration')!.position).toEqual({ x: 300 + 248 + 90, y: 0 });
  expect(next.nodes.find((n) => n.id === 'mail')!.position).toEqual({ x: 638 + 248 + 90, y: 0 });
  expect(next.nodes.find((n) => n.id === 'check')!.position).toEqual({ x: 300, y: 0 });
  // Dropped on top of the source, the new node moves right of it.
  const early = insertOnEdge(doc, catalogue, 'e2', newNode(doc, catalogue.get('tend.wait.duration')!, { x: 320, y: 10 }));
  expect(early.nodes.find((n) => n.id === 'duration')!.position).toEqual({ x: 300 + 248 + 90, y: 10 });
  // A node with no outputs ends the branch there.
  const exit = newNode(doc, catalogue.get('tend.logic.exit')!, { x: 0, y: 0 });
  expect(insertOnEdge(doc, catalogue, 'e2', exit).edges).toHaveLength(2);
});

test('removing the middle of a chain reconnects it; a branch is not guessed at', () => {
  const chain = {
    format: 'tend.flow/v1', name: 'chain',
    nodes: ['a', 'b', 'c', 'd'].map((id) => ({ id, type: 'tend.wait.duration', version: 1, config: { duration: '1 day' } })),
    edges: [{ id: 'e1', source: 'a', sourcePort: 'next', target: 'b' }, { id: 'e2', source: 'b', sourcePort: 'next', target: 'c' }, { id: 'e3', source: 'c', sourcePort: 'next', target: 'd' }],
  } as FlowDocument;
  // The canvas lists the removed node's edges too.
  expect(removeElements(chain, ['b'], ['e1', 'e2']).edges).toEqual([{ id: 'e3', source: 'c', sourcePort: 'next', target: 'd' }, { id: 'e4', source: 'a', sourcePort: 'next', target: 'c' }]);
  expect(removeElements(chain, ['b', 'c']).edges).toEqual([{ id: 'e4', source: 'a', sourcePort: 'next', target: 'd' }]);
  expect(removeElements(chain, ['d']).edges).toHaveLength(2);
  // The if/else leaves by "yes": removing it does not send everyone on to the email.
  expect(removeElements(cartProgram(), ['check']).edges).toEqual([]);
});

test('removing a node removes its edges; the old document is untouched', () => {
  const doc = cartProgram();
  const next = removeElements(doc, ['check']);
  expect(next.nodes.map((n) => n.id)).toEqual(['start', 'mail', 'pause']);
  expect(next.edges).toEqual([]);
  expect(doc.edges).toHaveLength(2);
  expect(updateNode(doc, 'mail', { label: '' }).nodes[2]).not.toHaveProperty('label');
});

test('copy/paste gives new ids, keeps inner edges and drops outer ones', () => {
  const doc = cartProgram();
  const clip = copySelection(doc, ['check', 'mail']);
  expect(isClip(JSON.parse(JSON.stringify(clip)))).toBe(true);
  const { doc: pasted, nodeIds } = pasteClip(doc, clip);
  expect(nodeIds).toEqual(['check_2', 'mail_2']);
  expect(pasted.edges.at(-1)).toEqual({ id: 'e3', source: 'check_2', sourcePort: 'yes', target: 'mail_2' });
  expect(pasted.edges).toHaveLength(3);
  expect(pasted.nodes.find((n) => n.id === 'mail_2')!.position).toEqual({ x: 640, y: 40 });
  // Pasted configs are copies: editing one leaves the other alone.
  expect(pasted.nodes.find((n) => n.id === 'mail_2')!.config).not.toBe(doc.nodes[2].config);
  const twice = pasteClip(pasted, clip).nodeIds;
  expect(twice).toEqual(['check_3', 'mail_3']);
});

test('a paste lands at the mouse, or right of everything, and never on a node', () => {
  const doc = cartProgram();
  const clip = copySelection(doc, ['mail']);
  const covers = (d: FlowDocument, ids: string[]) => d.nodes.filter((n) => ids.includes(n.id)).some((p) => d.nodes.some((n) => !ids.includes(n.id)
    && Math.abs(n.position!.x - p.position!.x) < NODE_WIDTH && Math.abs(n.position!.y - p.position!.y) < 110));
  // In free canvas: its top left just above and left of the mouse.
  const free = { x: 300, y: 900 };
  const there = pasteClip(doc, clip, pasteOffset(doc, clip, free));
  expect(there.doc.nodes.at(-1)!.position).toEqual({ x: 270, y: 880 });
  // On a node: moved down until it covers none.
  const mail = doc.nodes.find((n) => n.id === 'mail')!.position!;
  const onTop = pasteClip(doc, clip, pasteOffset(doc, clip, { x: mail.x + 30, y: mail.y + 20 }));
  expect(onTop.doc.nodes.at(-1)!.position!.x).toBe(mail.x);
  expect(covers(onTop.doc, onTop.nodeIds)).toBe(false);
  // No mouse over the canvas: right of the rightmost node, at the top of the content.
  const aside = pasteClip(doc, clip, pasteOffset(doc, clip, undefined));
  const right = Math.max(...doc.nodes.map((n) => n.position!.x)) + NODE_WIDTH;
  expect(aside.doc.nodes.at(-1)!.position).toEqual({ x: right + 90, y: Math.min(...doc.nodes.map((n) => n.position!.y)) });
  expect(covers(aside.doc, aside.nodeIds)).toBe(false);
});

test('an unconnected node dragged onto an edge is inserted there, in its place in the list', () => {
  const doc = { ...cartProgram(), edges: cartProgram().edges.filter((e) => e.target !== 'mail') };
  const edge = doc.edges[0]!;
  const next = moveOntoEdge(doc, catalogue, 'mail', edge.id, { x: 2000, y: 40 });
  expect(next.nodes.map((n) => n.id)).toEqual(doc.nodes.map((n) => n.id));
  expect(next.edges.find((e) => e.id === edge.id)!.target).toBe('mail');
  expect(next.edges.some((e) => e.source === 'mail' && e.target === edge.target)).toBe(true);
  // A node with connections stays where the document has it.
  expect(moveOntoEdge(cartProgram(), catalogue, 'mail', edge.id, { x: 0, y: 0 })).toEqual(cartProgram());
});

test('undo and redo walk the snapshots; a new edit clears redo', () => {
  let h = emptyHistory<string>();
  h = record(h, 'a');
  h = record(h, 'b');
  let u = undo(h, 'c')!;
  expect(u.value).toBe('b');
  u = undo(u.history, u.value)!;
  expect(u.value).toBe('a');
  expect(undo(u.history, u.value)).toBeUndefined();
  const r = redo(u.history, u.value)!;
  expect(r.value).toBe('b');
  const after = record(r.history, 'b');
  expect(redo(after, 'x')).toBeUndefined();
});
