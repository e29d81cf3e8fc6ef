import { describe, expect, test } from 'vitest';
import { fromCanvasEdges, needsLayout, toCanvasEdges, toCanvasNodes, withCanvasPositions } from './mapping.js';
import { catalogue, cartProgram } from './fixtures.js';
import { placeProblems, problemsByNode } from './problems.js';

describe('document → canvas', () => {
  test('each node shows its title, summary, category and one handle per output port', () => {
    const nodes = toCanvasNodes(cartProgram(), catalogue);
    const check = nodes.find((n) => n.id === 'check')!;
    expect(check.data.title).toBe('If / else');
    expect(check.data.summary).toBe('If score ≥ 50');
    expect(check.data.ports.map((p) => p.label)).toEqual(['Yes', 'No']);
    expect(check.data.connected).toEqual(['yes']);
    expect(nodes.find((n) => n.id === 'start')!.data.hasInput).toBe(false);
    expect(nodes.find((n) => n.id === 'pause')!.data.summary).toBe('Wait 3 days');
  });

  test('a node type that names its waiting contacts ("queued") passes the word to the canvas', () => {
    const doc = cartProgram();
    doc.nodes.push({ id: 'pace', type: 'tend.logic.throttle', version: 1, config: { max: 10, per: '1 minute' } });
    const types = new Map(catalogue);
    types.set('tend.logic.throttle', { ...catalogue.get('tend.wait.duration')!, id: 'tend.logic.throttle', title: 'Throttle', waitingLabel: 'queued' });
    const nodes = toCanvasNodes(doc, types);
    expect(nodes.find((n) => n.id === 'pace')!.data.waitingLabel).toBe('queued');
    expect(nodes.find((n) => n.id === 'pause')!.data.waitingLabel).toBeUndefined();
  });

  test('a label replaces the title; an unknown type still shows, marked as such', () => {
    const doc = cartProgram();
    doc.nodes[2].label = 'Reminder';
    doc.nodes.push({ id: 'x', type: 'acme.crm.task', version: 1, config: {} });
    const nodes = toCanvasNodes(doc, catalogue);
    expect(nodes.find((n) => n.id === 'mail')!.data.title).toBe('Reminder');
    const x = nodes.find((n) => n.id === 'x')!;
    expect(x.data.category).toBe('unknown');
    expect(x.data.ports).toEqual([]);
    expect(needsLayout(doc)).toBe(true);
    expect(needsLayout(cartProgram())).toBe(false);
  });

  test('split variants become ports, named and labelled from the config', () => {
    const doc = cartProgram();
    doc.nodes.push({ id: 'ab', type: 'tend.logic.split', version: 1, config: { variants: [{ name: 'a', label: 'Variant A', weight: 1 }, { name: 'b', weight: 1 }] } });
    const ab = toCanvasNodes(doc, catalogue).find((n) => n.id === 'ab')!;
    expect(ab.data.ports).toEqual([{ name: 'a', label: 'Variant A' }, { name: 'b', label: 'b' }]);
  });

  test('edges connect port handles to the input handle and carry stats and problems', () => {
    const edges = toCanvasEdges(cartProgram(), { stats: { nodes: {}, edges: { e2: { count: 3, share: 0.75 } } }, edgeProblems: new Map([['e1', 'bad']]) });
    expect(edges.map((e) => [e.id, e.source, e.sourceHandle, e.target, e.targetHandle])).toEqual([
      ['e1', 'start', 'next', 'check', 'in'],
      ['e2', 'check', 'yes', 'mail', 'in'],
    ]);
    expect(edges[1].data).toMatchObject({ count: 3, share: 0.75 });
    expect(edges[0].data?.problem).toBe('bad');
  });

  test('server problems land on the node, the field and the edge they name', () => {
    const doc = cartProgram();
    const placed = placeProblems(doc, [
      { path: '/nodes/3/config/duration', message: 'must match' },
      { path: '/edges/1/target', message: 'gone' },
      { path: '/nodes', message: 'no trigger' },
    ]);
    expect(placed[0]).toMatchObject({ nodeId: 'pause', field: '/duration' });
    expect(placed[1]).toMatchObject({ edgeId: 'e2', nodeId: 'check' });
    expect(placed[2].nodeId).toBeUndefined();
    const byNode = problemsByNode(placed);
    const nodes = toCanvasNodes(doc, catalogue, { problems: byNode });
    expect(nodes.find((n) => n.id === 'pause')!.data.problems).toEqual(['must match']);
    expect(nodes.find((n) => n.id === 'start')!.data.problems).toEqual([]);
  });
});

describe('canvas → document', () => {
  test('round trip keeps the document unchanged', () => {
    const doc = cartProgram();
    const nodes = toCanvasNodes(doc, catalogue);
    const edges = toCanvasEdges(doc);
    const back = { ...withCanvasPositions(doc, nodes), edges: fromCanvasEdges(edges) };
    expect(back).toEqual(doc);
  });

  test('moved nodes get rounded positions; untouched nodes keep their identity', () => {
    const doc = cartProgram();
    const nodes = toCanvasNodes(doc, catalogue).map((n) => (n.id === 'mail' ? { ...n, position: { x: 10.4, y: 20.6 } } : n));
    const moved = withCanvasPositions(doc, nodes);
    expect(moved.nodes[2].position).toEqual({ x: 10, y: 21 });
    expect(moved.nodes[0]).toBe(doc.nodes[0]);
    expect(moved.nodes[2].config).toBe(doc.nodes[2].config);
  });
});

describe('comparing programs', () => {
  test('key order, $schema and positions do not make a difference; config does', async () => {
    const { sameProgram } = await import('./compare.js');
    const a = cartProgram();
    const b = JSON.parse(JSON.stringify({ $schema: '/schemas/tend.flow.v1.json', ...a, nodes: a.nodes.map((n) => ({ config: n.config, version: n.version, type: n.type, id: n.id, position: { x: 1, y: 2 } })) }));
    expect(sameProgram(a, b)).toBe(true);
    b.nodes[3].config.duration = '4 days';
    expect(sameProgram(a, b)).toBe(false);
  });
});
