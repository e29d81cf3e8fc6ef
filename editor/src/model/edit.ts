// Edits of a flow document. Each returns a new document and leaves the old one alone,
// so undo/redo can keep snapshots and React can compare by reference.
import { nodePorts, type Catalogue, type FlowDocument, type FlowEdge, type FlowNode, type NodeType } from './catalogue.js';
import { baseIdForType, freshEdgeId, freshId } from './ids.js';
import { defaultValue } from './schema-form.js';

export type XY = { x: number; y: number };

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
export function insertOnEdge(doc: FlowDocument, catalogue: Catalogue, edgeId: string, node: FlowNode): FlowDocument {
  const edge = doc.edges.find((e) => e.id === edgeId);
  if (!edge) return addNode(doc, node);
  let next: FlowDocument = { ...doc, nodes: [...doc.nodes, node], edges: doc.edges.map((e) => (e.id === edgeId ? { ...e, target: node.id } : e)) };
  const firstPort = nodePorts(catalogue, node)[0];
  if (firstPort) next = connect(next, node.id, firstPort.name, edge.target);
  return next;
}

export function removeElements(doc: FlowDocument, nodeIds: Iterable<string>, edgeIds: Iterable<string> = []): FlowDocument {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  if (nodes.size === 0 && edges.size === 0) return doc;
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !nodes.has(n.id)),
    edges: doc.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
  };
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
