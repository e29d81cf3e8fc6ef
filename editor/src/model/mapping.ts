// Flow document ↔ React Flow canvas. The document is the source of truth; the canvas
// is derived from it, and only positions and edges flow back.
import { Position, type Edge, type Node, type NodeHandle } from '@xyflow/react';
import { nodePorts, type Catalogue, type Category, type FlowDocument, type FlowEdge, type Port } from './catalogue.js';
import { summarise } from './summary.js';
import { HANDLE_SIZE, IN_HANDLE, NODE_WIDTH, nodeHeight, outHandle } from './geometry.js';

export interface NodeCounts {
  entered: number;
  active?: number;
  waiting: number;
  completed: number;
  errors: number;
  /** Runs that ended at this node (older servers leave it out). */
  exited?: number;
  messages?: Record<string, number>;
}

export interface CanvasNodeData extends Record<string, unknown> {
  title: string;
  typeTitle: string;
  typeId: string;
  summary: string;
  category: Category | 'unknown';
  ports: Port[];
  /** Triggers have no input handle. */
  hasInput: boolean;
  problems: string[];
  counts?: NodeCounts;
  /** Output ports that already have an edge (drawn filled). */
  connected: string[];
  /** Comments on the node (not deleted), shown as a badge. */
  comments?: number;
  /** What the counts call the contacts at the node ("queued"); "here" without it. */
  waitingLabel?: string;
}

export type CanvasNode = Node<CanvasNodeData, 'tend'>;
export type CanvasEdge = Edge<{ port: string; count?: number; share?: number; problem?: string }>;

export interface Overlay {
  problems?: Map<string, { message: string }[]>;
  edgeProblems?: Map<string, string>;
  stats?: { nodes: Record<string, NodeCounts>; edges: Record<string, { count: number; share: number }> };
  selected?: Set<string>;
  comments?: Map<string, number>;
}

/** The handles as FlowNodeView draws them (geometry.ts), for React Flow before it measures the node. */
function drawnHandles(ports: Port[], hasInput: boolean): NodeHandle[] {
  const box = { width: HANDLE_SIZE, height: HANDLE_SIZE };
  return [
    ...(hasInput ? [{ id: 'in', type: 'target' as const, position: Position.Left, ...IN_HANDLE, ...box }] : []),
    ...ports.map((p, i) => ({ id: p.name, type: 'source' as const, position: Position.Right, ...outHandle(i), ...box })),
  ];
}

export function toCanvasNodes(doc: FlowDocument, catalogue: Catalogue, overlay: Overlay = {}): CanvasNode[] {
  const used = new Map<string, string[]>();
  for (const e of doc.edges) used.set(e.source, [...(used.get(e.source) ?? []), e.sourcePort]);
  return doc.nodes.map((n) => {
    const type = catalogue.get(n.type);
    const ports = nodePorts(catalogue, n);
    const hasInput = type?.category !== 'trigger';
    return {
      id: n.id,
      type: 'tend',
      position: n.position ?? { x: 0, y: 0 },
      width: NODE_WIDTH,
      height: nodeHeight(ports.length),
      handles: drawnHandles(ports, hasInput),
      selected: overlay.selected?.has(n.id) ?? false,
      data: {
        title: n.label || type?.title || n.type,
        typeTitle: type?.title ?? `Unknown node type ${n.type}`,
        typeId: n.type,
        summary: type ? summarise(type, n.config) : 'This node type is not installed on the server',
        category: type?.category ?? 'unknown',
        ...(type?.waitingLabel ? { waitingLabel: type.waitingLabel } : {}),
        ports,
        hasInput,
        problems: (overlay.problems?.get(n.id) ?? []).map((p) => p.message),
        counts: overlay.stats?.nodes[n.id],
        connected: used.get(n.id) ?? [],
        comments: overlay.comments?.get(n.id),
      },
    };
  });
}

export function toCanvasEdges(doc: FlowDocument, overlay: Overlay = {}): CanvasEdge[] {
  return doc.edges.map((e) => {
    const s = overlay.stats?.edges[e.id];
    return {
      id: e.id,
      source: e.source,
      sourceHandle: e.sourcePort,
      target: e.target,
      targetHandle: 'in',
      type: 'tend',
      selected: overlay.selected?.has(e.id) ?? false,
      data: { port: e.sourcePort, count: s?.count, share: s?.share, problem: overlay.edgeProblems?.get(e.id) },
    };
  });
}

/** Edges drawn on the canvas back into document edges (handles are port names). */
export function fromCanvasEdges(edges: Pick<CanvasEdge, 'id' | 'source' | 'sourceHandle' | 'target'>[]): FlowEdge[] {
  return edges.map((e) => ({ id: e.id, source: e.source, sourcePort: e.sourceHandle ?? 'next', target: e.target }));
}

/** Canvas node positions back into the document; everything else comes from the document. */
export function withCanvasPositions(doc: FlowDocument, nodes: Pick<CanvasNode, 'id' | 'position'>[]): FlowDocument {
  const pos = new Map(nodes.map((n) => [n.id, n.position]));
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      const p = pos.get(n.id);
      return p && (p.x !== n.position?.x || p.y !== n.position?.y) ? { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) } } : n;
    }),
  };
}

/** Whether some node has never been placed, so the editor should lay the program out. */
export function needsLayout(doc: FlowDocument): boolean {
  return doc.nodes.some((n) => !n.position);
}
