// Where a plugin named by path in TEND_PLUGINS starts. ES modules cannot import a
// folder, but a plugin package is a folder: read its package.json the way a package
// manager would (exports ".", then main), so `TEND_PLUGINS=./my-plugin` loads the
// same entry that `npm install my-plugin` + `TEND_PLUGINS=my-plugin` would.
import fs from 'node:fs';
import path from 'node:path';

type Exports = string | { [condition: string]: Exports } | undefined;

/** The entry of the `.` export for an ES-module importer: `import`, then `node`, then `default`. */
function rootExport(exports: Exports): string | undefined {
  if (typeof exports === 'string') return exports;
  if (!exports || typeof exports !== 'object') return undefined;
  if ('.' in exports) return rootExport(exports['.']);
  for (const condition of ['import', 'node', 'default']) {
    const found = rootExport(exports[condition]);
    if (found) return found;
  }
  return undefined;
}

/** A file stays as it is; a folder becomes the file its package.json (or an index file) names. */
export function pluginEntry(target: string): string {
  if (!fs.existsSync(target) || !fs.statSync(target).isDirectory()) return target;
  const manifest = path.join(target, 'package.json');
  if (fs.existsSync(manifest)) {
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { exports?: Exports; main?: string };
    const entry = rootExport(pkg.exports) ?? pkg.main;
    if (entry) return path.resolve(target, entry);
  }
  for (const index of ['index.ts', 'index.js', 'index.mjs']) {
    if (fs.existsSync(path.join(target, index))) return path.join(target, index);
  }
  throw new Error(`${target} is a folder with no package.json entry (exports or main) and no index file`);
}
