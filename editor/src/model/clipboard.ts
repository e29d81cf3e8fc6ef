// Copy and paste of a selection. Pasted nodes get fresh ids and the edges between
// them follow; edges to nodes outside the selection are left behind.
import type { FlowDocument, FlowEdge, FlowNode } from './catalogue.js';
import { freshEdgeId, freshId } from './ids.js';
import { NODE_WIDTH } from './geometry.js';

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

type XY = { x: number; y: number };
/** Room kept around a pasted node, and between the content and a group pasted beside it. */
const MARGIN = 24;
const GAP = 90;

/**
 * How far to shift a clip so it lands where the person is looking: its top left at the
 * mouse (`at`, in flow coordinates), or with no mouse over the canvas in the free space
 * right of everything; then moved down, step by step, until no pasted node covers a
 * node already there. `height` gives a node's drawn height (by its ports).
 *
 *   pasteOffset(doc, clip, { x: 400, y: 120 }) // { x: 400 - left of clip, y: … }
 */
export function pasteOffset(doc: FlowDocument, clip: Clip, at: XY | undefined, height: (n: FlowNode) => number = () => 110): XY {
  const pos = (n: FlowNode) => n.position ?? { x: 0, y: 0 };
  const left = Math.min(...clip.nodes.map((n) => pos(n).x));
  const top = Math.min(...clip.nodes.map((n) => pos(n).y));
  let target: XY;
  if (at) target = { x: at.x - 30, y: at.y - 20 };
  else if (doc.nodes.length === 0) target = { x: left, y: top };
  else target = { x: Math.max(...doc.nodes.map((n) => pos(n).x + NODE_WIDTH)) + GAP, y: Math.min(...doc.nodes.map((n) => pos(n).y)) };
  const box = (n: FlowNode, dx = 0, dy = 0) => ({ x: pos(n).x + dx, y: pos(n).y + dy, w: NODE_WIDTH, h: height(n) });
  const overlaps = (a: ReturnType<typeof box>, b: ReturnType<typeof box>) =>
    a.x < b.x + b.w + MARGIN && b.x < a.x + a.w + MARGIN && a.y < b.y + b.h + MARGIN && b.y < a.y + a.h + MARGIN;
  const offset = { x: Math.round(target.x - left), y: Math.round(target.y - top) };
  const existing = doc.nodes.map((n) => box(n));
  for (let i = 0; i < 500 && clip.nodes.some((n) => existing.some((b) => overlaps(box(n, offset.x, offset.y), b))); i++) offset.y += 40;
  return offset;
}
