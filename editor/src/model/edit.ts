// Edits of a flow document. Each returns a new document and leaves the old one alone,
// so undo/redo can keep snapshots and React can compare by reference.
import { nodePorts, type Catalogue, type FlowDocument, type FlowEdge, type FlowNode, type NodeType } from './catalogue.js';
import { baseIdForType, freshEdgeId, freshId } from './ids.js';
import { defaultValue } from './schema-form.js';
import { NODE_WIDTH } from './geometry.js';

export type XY = { x: number; y: number };

/** Horizontal room between a node and the next, as auto-layout leaves it. */
const GAP = 90;

/** A node of `type` with its schema's defaults filled in. */
export function newNode(doc: FlowDocument, type: NodeType, position: XY): FlowNode {
  const taken = new Set(doc.nodes.map((n) => n.id));
  const config = (defaultValue(type.configSchema, type.configSchema) ?? {}) as Record<string, unknown>;
  return { id: freshId(baseIdForType(type.id), taken), type: type.id, version: type.version, config, position: { x: Math.round(position.x), y: Math.round(position.y) } };
}

export function addNode(doc: FlowDocument, node: FlowNode): FlowDocument {
  return { ...doc, nodes: [...doc.nodes, node] };
}

export function connect(doc: FlowDocument, source: string, sourcePort: string, target: string): FlowDocument {
  const edge: FlowEdge = { id: freshEdgeId(new Set(doc.edges.map((e) => e.id))), source, sourcePort, target };
  return { ...doc, edges: [...doc.edges, edge] };
}

/**
 * Puts `node` on edge `edgeId`: source → node → old target. The node takes the edge's
 * place by its input and leads on by its first output (none when it has no outputs).
 */
export function insertOnEdge(doc: FlowDocument, catalogue: Catalogue, edgeId: string, inserted: FlowNode): FlowDocument {
  let node = inserted;
  const edge = doc.edges.find((e) => e.id === edgeId);
  if (!edge) return addNode(doc, node);
  // Not on top of the node the edge comes from: at least one gap to its right.
  const from = doc.nodes.find((n) => n.id === edge.source)?.position;
  if (from && node.position && node.position.x < from.x + NODE_WIDTH + GAP) node = { ...node, position: { x: from.x + NODE_WIDTH + GAP, y: node.position.y } };
  let next: FlowDocument = { ...doc, nodes: [...doc.nodes, node], edges: doc.edges.map((e) => (e.id === edgeId ? { ...e, target: node.id } : e)) };
  const firstPort = nodePorts(catalogue, node)[0];
  if (firstPort) next = connect(next, node.id, firstPort.name, edge.target);
  return makeRoomAfter(next, node.id, edge.target, edge.source);
}

/**
 * Puts an unconnected node already on the canvas onto edge `edgeId` (it was dragged
 * there): the same as inserting a new one, at `position`.
 */
export function moveOntoEdge(doc: FlowDocument, catalogue: Catalogue, nodeId: string, edgeId: string, position: XY): FlowDocument {
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node || doc.edges.some((e) => e.source === nodeId || e.target === nodeId)) return doc;
  const placed = { ...node, position: { x: Math.round(position.x), y: Math.round(position.y) } };
  const without = { ...doc, nodes: doc.nodes.filter((n) => n.id !== nodeId) };
  const inserted = insertOnEdge(without, catalogue, edgeId, placed);
  // The node keeps its place in the document's order.
  const at = doc.nodes.findIndex((n) => n.id === nodeId);
  const moved = inserted.nodes.find((n) => n.id === nodeId)!;
  const others = inserted.nodes.filter((n) => n.id !== nodeId);
  return { ...inserted, nodes: [...others.slice(0, at), moved, ...others.slice(at)] };
}

/**
 * Shifts `target` and everything downstream of it to the right, just enough that they
 * start one gap after node `placed` ends, so an inserted node does not sit on its neighbours.
 */
export function makeRoomAfter(doc: FlowDocument, placed: string, target: string, keep: string): FlowDocument {
  const at = doc.nodes.find((n) => n.id === placed)?.position;
  const first = doc.nodes.find((n) => n.id === target)?.position;
  if (!at || !first) return doc;
  const dx = at.x + NODE_WIDTH + GAP - first.x;
  if (dx <= 0) return doc;
  const next = new Map<string, string[]>();
  for (const e of doc.edges) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const downstream = new Set<string>();
  const stack = [target];
  while (stack.length) {
    const id = stack.pop()!;
    if (downstream.has(id) || id === placed || id === keep) continue;
    downstream.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return moveNodes(doc, new Map(doc.nodes.filter((n) => downstream.has(n.id) && n.position).map((n) => [n.id, { x: n.position!.x + dx, y: n.position!.y }])));
}

/**
 * Removes nodes and edges. A removed node whose only way on is its `next` edge is
 * healed over: whatever led into it now leads to where it led (through a run of such
 * removed nodes), so deleting the middle of a chain keeps the chain — one edit, one undo
 * step. A branch (yes/no, event/timeout, cases) is not guessed at: its edges go.
 * Edges attached to a removed node go with it whether or not they are listed (the
 * canvas lists them).
 */
export function removeElements(doc: FlowDocument, nodeIds: Iterable<string>, edgeIds: Iterable<string> = []): FlowDocument {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  if (nodes.size === 0 && edges.size === 0) return doc;
  const kept = doc.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target));
  /** Where a removed node led on to by `next`, past other such removed nodes. */
  const onwardOf = (id: string, seen: Set<string>): string | undefined => {
    const next = doc.edges.filter((e) => e.source === id);
    if (next.length !== 1 || next[0]!.sourcePort !== 'next' || seen.has(id)) return undefined;
    seen.add(id);
    const target = next[0]!.target;
    return nodes.has(target) ? onwardOf(target, seen) : target;
  };
  const taken = new Set(doc.edges.map((e) => e.id));
  const healed: FlowEdge[] = [];
  for (const e of doc.edges) {
    if (nodes.has(e.source) || !nodes.has(e.target)) continue;
    const target = onwardOf(e.target, new Set());
    if (!target || target === e.source || healed.some((h) => h.source === e.source && h.sourcePort === e.sourcePort)) continue;
    const id = freshEdgeId(taken);
    taken.add(id);
    healed.push({ id, source: e.source, sourcePort: e.sourcePort, target });
  }
  return { ...doc, nodes: doc.nodes.filter((n) => !nodes.has(n.id)), edges: [...kept, ...healed] };
}

export function moveNodes(doc: FlowDocument, positions: Map<string, XY>): FlowDocument {
  if (positions.size === 0) return doc;
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      const p = positions.get(n.id);
      return p ? { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) } } : n;
    }),
  };
}

export function updateNode(doc: FlowDocument, id: string, change: Partial<Pick<FlowNode, 'config' | 'label'>>): FlowDocument {
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      if (n.id !== id) return n;
      const updated = { ...n, ...change };
      if ('label' in change && !change.label) delete updated.label;
      return updated;
    }),
  };
}
