// The bundled program templates, loaded as a marketer would import them, with the
// waits a scenario test shortens.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/templates');

type Doc = { nodes: { id: string; config: Record<string, unknown> }[] } & Record<string, unknown>;

/** The template `name`.json with the given config fields replaced per node id: `{ wait_order: { timeout: '2 seconds' } }`. */
export function template(name: string, overrides: Record<string, Record<string, unknown>> = {}): Doc {
  const doc = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as Doc;
  for (const [id, config] of Object.entries(overrides)) {
    const node = doc.nodes.find((n) => n.id === id);
    if (!node) throw new Error(`template ${name} has no node ${id}`);
    Object.assign(node.config, config);
  }
  return doc;
}
