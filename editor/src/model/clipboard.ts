// Copy and paste of a selection. Pasted nodes get fresh ids and the edges between
// them follow; edges to nodes outside the selection are left behind.
import type { FlowDocument, FlowEdge, FlowNode } from './catalogue.js';
import { freshEdgeId, freshId } from './ids.js';

export interface Clip {
  format: 'tend.clip/v1';
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export function copySelection(doc: FlowDocument, nodeIds: Iterable<string>): Clip {
  const ids = new Set(nodeIds);
  return {
    format: 'tend.clip/v1',
    nodes: structuredClone(doc.nodes.filter((n) => ids.has(n.id))),
    edges: structuredClone(doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target))),
  };
}

export function isClip(x: unknown): x is Clip {
  return !!x && typeof x === 'object' && (x as Clip).format === 'tend.clip/v1' && Array.isArray((x as Clip).nodes) && Array.isArray((x as Clip).edges);
}

/** Adds the clip's nodes, shifted by `offset`; returns the new document and the pasted node ids. */
export function pasteClip(doc: FlowDocument, clip: Clip, offset = { x: 40, y: 40 }): { doc: FlowDocument; nodeIds: string[] } {
  const nodeIds = new Set(doc.nodes.map((n) => n.id));
  const edgeIds = new Set(doc.edges.map((e) => e.id));
  const renamed = new Map<string, string>();
  const nodes = clip.nodes.map((n) => {
    const id = freshId(n.id, nodeIds);
    nodeIds.add(id);
    renamed.set(n.id, id);
    const p = n.position ?? { x: 0, y: 0 };
    return { ...structuredClone(n), id, position: { x: p.x + offset.x, y: p.y + offset.y } };
  });
  const edges = clip.edges.map((e) => {
    const id = freshEdgeId(edgeIds);
    edgeIds.add(id);
    return { ...e, id, source: renamed.get(e.source)!, target: renamed.get(e.target)! };
  });
  return { doc: { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges] }, nodeIds: nodes.map((n) => n.id) };
}
