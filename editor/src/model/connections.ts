// The rules a new edge must follow, checked while the marketer draws it, with a
// sentence saying why a drop is refused. They mirror the server's validator.
import { nodePorts, type Catalogue, type FlowDocument } from './catalogue.js';

export interface Connection {
  source: string;
  sourcePort: string;
  target: string;
}

export type ConnectionCheck = { ok: true } | { ok: false; reason: string };

const nameOf = (doc: FlowDocument, id: string) => {
  const n = doc.nodes.find((x) => x.id === id);
  return `“${n?.label || id}”`;
};

export function checkConnection(doc: FlowDocument, catalogue: Catalogue, c: Connection, ignoreEdgeId?: string): ConnectionCheck {
  const source = doc.nodes.find((n) => n.id === c.source);
  const target = doc.nodes.find((n) => n.id === c.target);
  if (!source || !target) return { ok: false, reason: 'Both ends of a connection must be nodes on the canvas.' };
  if (c.source === c.target) return { ok: false, reason: 'A node cannot lead to itself.' };
  const targetType = catalogue.get(target.type);
  if (targetType?.category === 'trigger') return { ok: false, reason: `${nameOf(doc, c.target)} is a trigger: contacts enter the program there, so nothing can lead into it.` };
  const ports = nodePorts(catalogue, source);
  const port = ports.find((p) => p.name === c.sourcePort);
  if (!port) return { ok: false, reason: `${nameOf(doc, c.source)} has no output “${c.sourcePort}”.` };
  const taken = doc.edges.find((e) => e.source === c.source && e.sourcePort === c.sourcePort && e.id !== ignoreEdgeId);
  if (taken) return { ok: false, reason: `Output “${port.label}” of ${nameOf(doc, c.source)} already leads to ${nameOf(doc, taken.target)}. One output leads to one node; delete that connection first.` };
  const loop = loopWithoutWait(doc, catalogue, c, ignoreEdgeId);
  if (loop) return { ok: false, reason: `This would make a loop (${loop.map((id) => nameOf(doc, id)).join(' → ')}) with no wait in it; a contact would go round forever. Put a wait in the loop.` };
  return { ok: true };
}

/** The loop the new edge would close through nodes that never wait, if any. */
function loopWithoutWait(doc: FlowDocument, catalogue: Catalogue, c: Connection, ignoreEdgeId?: string): string[] | undefined {
  const waits = (id: string) => {
    const node = doc.nodes.find((n) => n.id === id);
    return node ? catalogue.get(node.type)?.waits === true : false;
  };
  if (waits(c.source) || waits(c.target)) return undefined;
  const next = new Map<string, string[]>();
  for (const e of doc.edges) if (e.id !== ignoreEdgeId) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  // Breadth-first from the target through non-waiting nodes; reaching the source closes a loop.
  const cameFrom = new Map<string, string>([[c.target, '']]);
  const queue = [c.target];
  while (queue.length) {
    const id = queue.shift()!;
    if (id === c.source) {
      const path = [id];
      for (let p = cameFrom.get(id); p; p = cameFrom.get(p)) path.unshift(p);
      return [...path, c.target];
    }
    for (const n of next.get(id) ?? []) {
      if (cameFrom.has(n) || waits(n)) continue;
      cameFrom.set(n, id);
      queue.push(n);
    }
  }
  return undefined;
}
