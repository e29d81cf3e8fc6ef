// `tend flows …`: validate program documents offline against the local plugin registry
// (built-ins and TEND_PLUGINS, no server needed), and import, export and list programs
// through a running Tend's API.
import { pluginsOf } from '../../engine/ops/config.js';
import fs from 'node:fs';
import path from 'node:path';
import { createRegistry, type Registry } from '../../engine/plugin/registry.js';
import { validateFlow } from '../../engine/flow/validate.js';
import type { Api } from './api.js';
import { ApiError } from './api.js';

/** Reads a JSON file; a syntax error names the line and column. */
export function readJson(file: string): unknown {
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    const at = /position (\d+)/.exec((err as Error).message);
    if (!at) throw new Error(`${file}: not JSON: ${(err as Error).message}`);
    const before = text.slice(0, Number(at[1])).split('\n');
    throw new Error(`${file}:${before.length}:${before.at(-1)!.length + 1}: not JSON: ${(err as Error).message}`);
  }
}

export async function localRegistry(plugins: string[] = []): Promise<Registry> {
  return createRegistry([...pluginsOf(), ...plugins]);
}

/** Prints every problem of every file with its JSON Pointer; 1 when any file has one. */
export async function validateFiles(files: string[], opts: { plugins?: string[] }): Promise<number> {
  const registry = await localRegistry(opts.plugins);
  let failed = 0;
  for (const file of files) {
    let doc: unknown;
    try {
      doc = readJson(file);
    } catch (err) {
      console.log((err as Error).message);
      failed++;
      continue;
    }
    const problems = validateFlow(doc, registry);
    if (!problems.length) {
      const d = doc as { nodes: unknown[]; edges: unknown[] };
      console.log(`${file}: valid (${d.nodes.length} nodes, ${d.edges.length} edges)`);
      continue;
    }
    failed++;
    console.log(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    for (const p of problems) console.log(`  ${p.path || '/'}  ${p.message}`);
  }
  return failed ? 1 : 0;
}

/** The program documents a path names: the file, or the folder's *.json files in name order. */
export function documentFiles(target: string): string[] {
  if (!fs.statSync(target).isDirectory()) return [target];
  return fs.readdirSync(target).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(target, f));
}

export async function importFlows(api: Api, targets: string[], opts: { publish?: boolean }): Promise<number> {
  let failed = 0;
  for (const file of targets.flatMap(documentFiles)) {
    try {
      const created = await api.request<{ id: string; name: string; problems: unknown[] }>('POST', '/api/flows/import', readJson(file));
      let note = created.problems.length ? ` (draft with ${created.problems.length} problem${created.problems.length === 1 ? '' : 's'})` : '';
      if (opts.publish) {
        const published = await api.request<{ version: number }>('POST', `/api/flows/${created.id}/publish`);
        note = `, published as version ${published.version}`;
      }
      console.log(`${file}: imported "${created.name}" as ${created.id}${note}`);
    } catch (err) {
      failed++;
      console.log(`${file}: not imported: ${err instanceof ApiError ? err.message : (err as Error).message}`);
    }
  }
  return failed ? 1 : 0;
}

export async function exportFlow(api: Api, id: string, opts: { out?: string; version?: string }): Promise<number> {
  const query = opts.version ? `?version=${encodeURIComponent(opts.version)}` : '';
  const doc = await api.request('GET', `/api/flows/${encodeURIComponent(id)}/export${query}`);
  const text = JSON.stringify(doc, null, 2) + '\n';
  if (opts.out) {
    fs.writeFileSync(opts.out, text);
    console.error(`Wrote ${opts.out}`);
  } else process.stdout.write(text);
  return 0;
}

export async function listFlows(api: Api, opts: { json?: boolean; archived?: boolean }): Promise<number> {
  const { programs } = await api.request<{ programs: { id: string; name: string; status: string; liveVersion: number | null; activeContacts: number }[] }>('GET', `/api/flows${opts.archived ? '?archived=true' : ''}`);
  if (opts.json) {
    console.log(JSON.stringify(programs, null, 2));
    return 0;
  }
  const rows = [['ID', 'STATUS', 'VERSION', 'CONTACTS', 'NAME'], ...programs.map((p) => [p.id, p.status, p.liveVersion === null ? '-' : String(p.liveVersion), String(p.activeContacts), p.name])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '));
  return 0;
}
