// What the import rules (npm run lint) cannot see about the engine's rooms
// (engine/ARCHITECTURE.md, "The rooms"): SQL only in storage, settings read only in
// ops/config.ts, and every engine file named in the architecture map.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const engine = path.join(root, 'engine');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'migrations' ? [] : sources(full);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}
const rel = (f: string) => path.relative(engine, f).split(path.sep).join('/');
const files = sources(engine);

test('SQL is written only in engine/storage/', () => {
  const outside = files
    .filter((f) => !rel(f).startsWith('storage/') && !rel(f).startsWith('stack/'))
    .flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').map((line, i) => ({ where: `${rel(f)}:${i + 1}`, line })))
    .filter(({ line }) => /\.query\s*[(<]|\bLISTEN tend_/.test(line))
    .map(({ where }) => where);
  expect(outside).toEqual([]);
});

test('settings are read from the environment only in engine/ops/config.ts', () => {
  const outside = files
    .filter((f) => rel(f) !== 'ops/config.ts' && !rel(f).startsWith('stack/'))
    .flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').map((line, i) => ({ where: `${rel(f)}:${i + 1}`, line })))
    .filter(({ line }) => /process\.env\b/.test(line) && !/^\s*(\*|\/\/)/.test(line))
    .map(({ where }) => where);
  expect(outside).toEqual([]);
});

test('every engine file is named in the architecture map', () => {
  const map = fs.readFileSync(path.join(engine, 'ARCHITECTURE.md'), 'utf8');
  // Rooms described as a whole: their files are listed in the folder, one kind of row (or tool) each.
  const wholeRooms = ['storage/', 'stack/', 'testing/', 'audience/segments/'];
  const unnamed = files.map(rel).filter((f) => !wholeRooms.some((r) => f.startsWith(r)) && !map.includes(f));
  expect(unnamed).toEqual([]);
});
