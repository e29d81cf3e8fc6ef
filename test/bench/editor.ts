// `npm run bench -- editor`: how long the editor takes to open a program that has never
// been laid out, against bare React Flow drawing the same nodes already placed, both in
// the same Chromium in the same run. The ratio is what Tend's editor costs on top of
// drawing; the layout share is how much of that is elk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import * as esbuild from 'esbuild';
import type { Page } from 'playwright-core';
import { startEmbeddedPostgres } from '../../engine/stack/postgres.js';
import { startTemporalDevServer } from '../../engine/stack/temporal.js';
import { ensureTemporalCli } from '../../engine/stack/temporal-cli.js';
import { ensureEditorBuilt } from '../../server/editor-build.js';
import { startTend, type Tend } from '../support/tend.js';
import { bigProgram } from '../support/big-program.js';
import { openBrowser, saved, signIn } from '../e2e/support/browser.js';
import type { BareGraph } from './bare-canvas.js';
import { median, progress } from './stats.js';

export interface EditorFigures {
  size: number;
  repetitions: number;
  /** Navigation to the program page → every node laid out and drawn (p50, ms). */
  tendMs: number;
  /** The elk layout inside that (p50, ms). */
  layoutMs: number;
  /** Navigation to the bare page → the same nodes drawn by bare React Flow (p50, ms). */
  bareMs: number;
  /** The same program opened again, its positions saved: navigation → drawn (p50, ms). */
  savedMs: number;
  /** Frames a second while the whole program, every node drawn, is dragged about (p50); bare React Flow the same. */
  panFps: number;
  barePanFps: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Measures the editor on programs of each size, `repetitions` times each after one
 * untimed warm-up, Tend and the baseline alternating so both see the same machine.
 *
 * @example for (const f of await benchEditor()) console.log(f.size, f.tendMs / f.bareMs)
 */
export async function benchEditor({ sizes = [100, 300, 1000], repetitions = 5, log = (m: string) => console.error(m) } = {}): Promise<EditorFigures[]> {
  await ensureEditorBuilt(log);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-bench-editor-'));
  fs.chmodSync(dir, 0o755); // as root, PostgreSQL runs as its own user and must reach the folder
  log('Starting PostgreSQL, the Temporal dev server (the API connects to it), Tend and Chromium …');
  const cli = await ensureTemporalCli(process.env.TEMPORAL_CLI_PATH, log);
  const [pgServer, temporal] = await Promise.all([
    startEmbeddedPostgres(path.join(dir, 'postgres')),
    startTemporalDevServer({ cli, uiPort: false }),
  ]);
  const graphs = new Map<number, BareGraph>();
  const [tend, bare, session] = await Promise.all([
    startTend({ worker: false, pgUrl: pgServer.url, temporalAddress: temporal.address }),
    startBarePage(path.join(dir, 'bare'), graphs),
    openBrowser(),
  ]);
  const { page } = session;
  try {
    await signIn(page, tend);
    const figures: EditorFigures[] = [];
    for (const size of sizes) {
      // The warm-up open also lays the program out, which gives the baseline its positions.
      const warm = await openInTend(page, tend, size);
      graphs.set(size, await bareGraph(page, tend, warm.programId));
      await openBare(page, bare.url, size);
      const tendRuns: { sinceNavigationMs: number; layoutMs: number }[] = [];
      const bareRuns: number[] = [];
      const savedRuns: number[] = [];
      const panRuns: number[] = [];
      const barePanRuns: number[] = [];
      for (let r = 1; r <= repetitions; r++) {
        tendRuns.push(await openInTend(page, tend, size));
        bareRuns.push(await openBare(page, bare.url, size));
        savedRuns.push(await reopenInTend(page, tend, warm.programId));
        panRuns.push(await panTend(page));
        barePanRuns.push(await panBare(page, bare.url, size));
        progress(`editor, ${size} nodes`, r, repetitions);
      }
      figures.push({
        size, repetitions,
        tendMs: median(tendRuns.map((t) => t.sinceNavigationMs)),
        layoutMs: median(tendRuns.map((t) => t.layoutMs)),
        bareMs: median(bareRuns),
        savedMs: median(savedRuns),
        panFps: median(panRuns),
        barePanFps: median(barePanRuns),
      });
    }
    // A console error means a page did not do what was measured: no figures from it.
    if (session.errors.length) throw new Error(`the browser reported errors:\n${session.errors.join('\n')}`);
    return figures;
  } finally {
    await session.close();
    await tend.stop();
    await bare.close();
    await Promise.all([temporal.stop(), pgServer.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Creates a fresh program (never laid out) and opens it by URL, as a bookmark would. */
async function openInTend(page: Page, tend: Tend, size: number) {
  const created = await tend.api('POST', '/api/flows', bigProgram(size));
  if (created.status !== 201) throw new Error(`creating the ${size}-node program failed: ${JSON.stringify(created.body)}`);
  await page.goto(`${tend.url}/programs/${created.body.id}`);
  // The editor's own "laid out" signal, the one the e2e test reads.
  await page.waitForFunction(() => document.body.dataset.sinceNavigationMs !== undefined, undefined, { timeout: 120_000 });
  const figures = await page.evaluate(() => ({ sinceNavigationMs: Number(document.body.dataset.sinceNavigationMs), layoutMs: Number(document.body.dataset.layoutMs) }));
  // The layout saves itself; letting that finish keeps it out of the next measurement.
  await saved(page);
  return { programId: created.body.id as string, ...figures };
}

/** Opens a program whose positions are saved (no layout): navigation → drawn. */
async function reopenInTend(page: Page, tend: Tend, programId: string): Promise<number> {
  await page.goto(`${tend.url}/programs/${programId}`);
  await page.waitForFunction(() => document.body.dataset.sinceNavigationMs !== undefined, undefined, { timeout: 120_000 });
  return page.evaluate(() => Number(document.body.dataset.sinceNavigationMs));
}

/**
 * Frames a second while the canvas is dragged about for 60 mouse moves, counted by
 * requestAnimationFrame: the frames the page could draw while it panned.
 */
async function panFps(page: Page): Promise<number> {
  const box = (await page.locator('.react-flow__pane').boundingBox())!;
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
  // A string: tsx would wrap a named inner function in a helper the page does not have.
  await page.evaluate('window.frames_ = 0; (function tick() { window.frames_++; window.raf_ = requestAnimationFrame(tick); })()');
  const t0 = performance.now();
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let i = 1; i <= 60; i++) await page.mouse.move(cx + Math.sin(i / 8) * 150, cy + Math.cos(i / 8) * 80 - 80);
  await page.mouse.up();
  const frames = Number(await page.evaluate('cancelAnimationFrame(window.raf_); window.frames_'));
  return Math.round(frames / ((performance.now() - t0) / 1000));
}

/** The open program fitted into view (every node drawn), then panned. */
async function panTend(page: Page): Promise<number> {
  await page.locator('.react-flow__controls-fitview').click();
  await page.waitForTimeout(500); // fitView's animation, and the nodes now in view drawn
  return panFps(page);
}

async function panBare(page: Page, url: string, size: number): Promise<number> {
  await page.goto(`${url}/?size=${size}&fit=1`);
  await page.waitForFunction(() => document.body.dataset.drawnMs !== undefined, undefined, { timeout: 60_000 });
  await page.waitForTimeout(300);
  return panFps(page);
}

/** The program as Tend laid it out, as default React Flow nodes, in the editor's opening view. */
async function bareGraph(page: Page, tend: Tend, programId: string): Promise<BareGraph> {
  const { draft } = (await tend.api('GET', `/api/flows/${programId}`)).body as { draft: { nodes: { id: string; position: { x: number; y: number } }[]; edges: { id: string; source: string; target: string }[] } };
  const box = (await page.locator('.react-flow').boundingBox())!;
  const transform = (await page.locator('.react-flow__viewport').getAttribute('style')) ?? '';
  const m = /translate\(([-\d.]+)px, ([-\d.]+)px\) scale\(([\d.]+)\)/.exec(transform);
  if (!m) throw new Error(`cannot read the editor's viewport from "${transform}"`);
  return {
    nodes: draft.nodes.map((n) => ({ id: n.id, position: n.position, data: { label: n.id } })),
    edges: draft.edges.map((e) => ({ id: e.id, source: e.source, target: e.target })),
    box: { width: box.width, height: box.height },
    viewport: { x: Number(m[1]), y: Number(m[2]), zoom: Number(m[3]) },
    onlyVisible: (await page.locator('.react-flow__node').count()) < draft.nodes.length,
  };
}

async function openBare(page: Page, url: string, size: number): Promise<number> {
  await page.goto(`${url}/?size=${size}`);
  await page.waitForFunction(() => document.body.dataset.drawnMs !== undefined, undefined, { timeout: 60_000 });
  return page.evaluate(() => Number(document.body.dataset.drawnMs));
}

/** Bundles the bare page as production React (as Vite builds the editor) and serves it. */
async function startBarePage(dir: string, graphs: Map<number, BareGraph>) {
  await esbuild.build({
    entryPoints: [path.join(here, 'bare-canvas.tsx')],
    bundle: true, minify: true, format: 'esm', jsx: 'automatic', outdir: dir, logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><link rel="stylesheet" href="/bare-canvas.css"></head><body style="margin:0"><div id="root"></div><script type="module" src="/bare-canvas.js"></script></body></html>');
  const app = express();
  // Fetched on every open, as the editor fetches its program; assets cached as the editor's are.
  app.get('/graph/:size', (req, res) => { res.set('cache-control', 'no-store').json(graphs.get(Number(req.params.size))); });
  app.use(express.static(dir, { maxAge: '1h' }));
  const server: Server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
