// Finding nodes on the canvas by what a person remembers of them: the label, the node
// type (its title or id), the node id, or any text in its settings ("cart_updated",
// a subject line, a webhook URL). Case-insensitive; results in the document's order.
import type { Catalogue, FlowDocument } from './catalogue.js';

export function searchNodes(doc: FlowDocument, catalogue: Catalogue, query: string): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  return doc.nodes.filter((n) => {
    const type = catalogue.get(n.type);
    const text = [n.id, n.label ?? '', n.type, type?.title ?? '', JSON.stringify(n.config ?? {})].join('\u0000').toLowerCase();
    return text.includes(q);
  }).map((n) => n.id);
}
