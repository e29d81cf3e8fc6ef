// Server-side validation problems, keyed by what the canvas shows: a node, an edge,
// a config field of a node, or the program as a whole. Paths are JSON Pointers into
// the document that was validated, so they are resolved against that same document.
import type { FlowDocument } from './catalogue.js';

export interface Problem {
  path: string;
  message: string;
}

export interface PlacedProblem extends Problem {
  nodeId?: string;
  edgeId?: string;
  /** JSON Pointer inside the node's config, e.g. "/timeout". */
  field?: string;
}

export function placeProblems(doc: FlowDocument, problems: Problem[]): PlacedProblem[] {
  return problems.map((p) => {
    const node = /^\/nodes\/(\d+)(\/.*)?$/.exec(p.path);
    if (node) {
      const n = doc.nodes[Number(node[1])];
      const rest = node[2] ?? '';
      const field = rest.startsWith('/config') ? rest.slice('/config'.length) || '/' : undefined;
      return { ...p, nodeId: n?.id, field };
    }
    const edge = /^\/edges\/(\d+)(\/.*)?$/.exec(p.path);
    if (edge) {
      const e = doc.edges[Number(edge[1])];
      // An edge problem is also shown on the node it starts from, where it can be fixed.
      return { ...p, edgeId: e?.id, nodeId: e && doc.nodes.some((n) => n.id === e.source) ? e.source : undefined };
    }
    return { ...p };
  });
}

export function problemsByNode(placed: PlacedProblem[]): Map<string, PlacedProblem[]> {
  const map = new Map<string, PlacedProblem[]>();
  for (const p of placed) if (p.nodeId) map.set(p.nodeId, [...(map.get(p.nodeId) ?? []), p]);
  return map;
}
