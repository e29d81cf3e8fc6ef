// Whether two flow documents describe the same program. Postgres (jsonb) does not keep
// key order and exports add `$schema`, so documents are compared canonically, and
// positions are ignored: moving a node does not change what contacts go through.
import type { FlowDocument } from './catalogue.js';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

export function sameProgram(a: FlowDocument, b: FlowDocument): boolean {
  const strip = (d: FlowDocument) => {
    const { $schema: _s, ...rest } = d;
    return { ...rest, nodes: d.nodes.map(({ position: _p, ...n }) => n) };
  };
  return JSON.stringify(canonical(strip(a))) === JSON.stringify(canonical(strip(b)));
}
