// Builds the editor with Vite when editor/dist is missing or older than its sources,
// so `npm start` on a fresh checkout serves a working editor. Vite runs as a child
// process: the server never loads the bundler itself.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const editorDir = path.join(root, 'editor');

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** Whether the built editor is missing or older than anything it is built from. */
export function editorIsStale(): boolean {
  const built = path.join(editorDir, 'dist', 'index.html');
  if (!fs.existsSync(built)) return true;
  const sources = Math.max(
    newestMtime(path.join(editorDir, 'src')),
    newestMtime(path.join(editorDir, 'index.html')),
    newestMtime(path.join(editorDir, 'vite.config.ts')),
    // The editor bundles the engine's pure port and duration helpers.
    newestMtime(path.join(root, 'engine', 'ports.ts')),
    newestMtime(path.join(root, 'engine', 'duration.ts')),
  );
  return sources > fs.statSync(built).mtimeMs;
}

/**
 * Builds into a folder of its own, then swaps it in, so a server or a second test run
 * reading editor/dist never sees a half-written build.
 */
export async function buildEditor(): Promise<void> {
  const vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  const dist = path.join(editorDir, 'dist');
  const fresh = path.join(editorDir, `.dist-${process.pid}-${Date.now()}`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', path.join(editorDir, 'vite.config.ts'), '--outDir', fresh, '--emptyOutDir'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Vitest sets NODE_ENV=test, which would make a slow development build of React.
      env: { ...process.env, NODE_ENV: 'production' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed (exit ${code}):\n${output.slice(-4000)}`))));
  }).catch((err) => {
    fs.rmSync(fresh, { recursive: true, force: true });
    throw err;
  });
  const old = `${fresh}-old`;
  if (fs.existsSync(dist)) fs.renameSync(dist, old);
  fs.renameSync(fresh, dist);
  fs.rmSync(old, { recursive: true, force: true });
}

/** Builds the editor if needed; `log` hears one line before a build starts. */
export async function ensureEditorBuilt(log: (line: string) => void): Promise<void> {
  if (!editorIsStale()) return;
  log('Building the editor (editor/dist is missing or older than editor/src) …');
  const started = Date.now();
  await buildEditor();
  log(`Editor built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}
