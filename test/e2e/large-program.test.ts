// A 1,000-node program without positions: the editor lays it out with elk and draws it.
// Prints "open to laid out" as measured in the browser (never asserted: machines vary),
// and checks the layout was saved and the canvas pans.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { bigProgram } from '../support/big-program.js';
import { IN_HANDLE, outHandle } from '../../editor/src/model/geometry.js';
import { expectNoBrowserErrors, openBrowser, saved, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend({ worker: false }), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

test('a 1,000-node program opens, lays out, saves its layout and pans', async () => {
  const doc = bigProgram(1000);
  const created = await tend.api('POST', '/api/flows', doc);
  expect(created.body.problems).toEqual([]);
  const { page } = s;
  await signIn(page, tend);
  // Open by URL, as a bookmark would: the figure covers loading the app too.
  await page.goto(`${tend.url}/programs/${created.body.id}`);
  await page.waitForFunction(() => document.body.dataset.openToLaidOutMs !== undefined, undefined, { timeout: 60_000 });
  const figures = await page.evaluate(() => ({ openToLaidOutMs: Number(document.body.dataset.openToLaidOutMs), sinceNavigationMs: Number(document.body.dataset.sinceNavigationMs), layoutMs: Number(document.body.dataset.layoutMs) }));
  console.log(`1,000-node program: open to laid out ${figures.openToLaidOutMs} ms (program fetch, elk layout ${figures.layoutMs} ms, first render); ${figures.sinceNavigationMs} ms from navigation start`);
  await s.screenshot('large-program');

  // The layout was saved as positions in the document.
  await saved(page);
  const draft = (await tend.api('GET', `/api/flows/${created.body.id}`)).body.draft;
  expect(draft.nodes.every((n: { position?: { x: number } }) => typeof n.position?.x === 'number')).toBe(true);
  expect(new Set(draft.nodes.map((n: { position: { x: number; y: number } }) => `${n.position.x},${n.position.y}`)).size).toBe(1000);

  // Opening it again: positions are saved now, so no layout is needed.
  await page.goto(`${tend.url}/programs/${created.body.id}`);
  await page.waitForFunction(() => document.body.dataset.openToLaidOutMs !== undefined, undefined, { timeout: 60_000 });
  const again = await page.evaluate(() => ({ openToLaidOutMs: Number(document.body.dataset.openToLaidOutMs), sinceNavigationMs: Number(document.body.dataset.sinceNavigationMs) }));
  console.log(`1,000-node program with saved positions: open to laid out ${again.openToLaidOutMs} ms; ${again.sinceNavigationMs} ms from navigation start`);

  // Only the nodes in view are drawn, and the edges leaving the view are drawn all the
  // same: React Flow has each node's handles from the canvas' geometry before drawing it.
  const drawn = await page.evaluate(() => {
    const zoom = Number(/scale\(([\d.]+)\)/.exec((document.querySelector('.react-flow__viewport') as HTMLElement).style.transform)![1]);
    const nodes = [...document.querySelectorAll<HTMLElement>('.react-flow__node')];
    return {
      nodes: nodes.map((n) => n.dataset.id!),
      edges: [...document.querySelectorAll<SVGGElement>('.react-flow__edge')].map((e) => ({ id: e.dataset.id!, d: e.querySelector('path')?.getAttribute('d') ?? '' })),
      handles: nodes.flatMap((n) => {
        const box = n.getBoundingClientRect();
        return [...n.querySelectorAll<HTMLElement>('.react-flow__handle')].map((h, i) => {
          const r = h.getBoundingClientRect();
          return { node: n.dataset.id!, handle: h.dataset.handleid!, index: i, x: (r.x - box.x) / zoom, y: (r.y - box.y) / zoom };
        });
      }),
    };
  });
  expect(drawn.nodes.length).toBeGreaterThan(0);
  expect(drawn.nodes.length).toBeLessThan(100);
  const targetOf = new Map(doc.edges.map((e) => [e.id, e.target]));
  const leaving = drawn.edges.filter((e) => !drawn.nodes.includes(targetOf.get(e.id)!));
  expect(leaving.length).toBeGreaterThan(0);
  for (const e of leaving) expect(e.d).toMatch(/^M[\d.-]+[, ][\d.-]+/);
  // The geometry React Flow is handed is where the handles are drawn (within a pixel).
  for (const h of drawn.handles) {
    const want = h.handle === 'in' ? IN_HANDLE : outHandle(drawn.handles.filter((o) => o.node === h.node && o.handle !== 'in').findIndex((o) => o.handle === h.handle));
    expect(Math.abs(h.x - want.x), `${h.node}.${h.handle} x`).toBeLessThan(1);
    expect(Math.abs(h.y - want.y), `${h.node}.${h.handle} y`).toBeLessThan(1);
  }

  // Drag the canvas: the view pans.
  const viewport = page.locator('.react-flow__viewport');
  const before = await viewport.getAttribute('style');
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  await page.mouse.move(pane.x + pane.width - 60, pane.y + 30);
  await page.mouse.down();
  await page.mouse.move(pane.x + pane.width - 360, pane.y + 30, { steps: 20 });
  await page.mouse.up();
  expect(await viewport.getAttribute('style')).not.toBe(before);
  await expect.poll(() => page.locator('.react-flow__node').count()).toBeGreaterThan(0);

  // Find a node far off screen by its id: it is selected and brought into view.
  await page.getByTestId('node-search').fill('n987');
  await page.getByTestId('node-search').press('Enter');
  await page.getByTestId('node-search-count').filter({ hasText: '1 of' }).waitFor();
  const found = page.locator('.react-flow__node[data-id="n987"]');
  await found.waitFor();
  await expect.poll(async () => {
    const box = await found.boundingBox();
    const canvas = (await page.locator('.react-flow__pane').boundingBox())!;
    return Boolean(box && box.x >= canvas.x && box.x + box.width <= canvas.x + canvas.width && box.y >= canvas.y && box.y + box.height <= canvas.y + canvas.height);
  }).toBe(true);
  await expect.poll(() => found.evaluate((el) => el.classList.contains('selected'))).toBe(true);
  await s.screenshot('node-search');
  expectNoBrowserErrors(s);
});
