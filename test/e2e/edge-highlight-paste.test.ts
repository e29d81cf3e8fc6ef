// Issue #13 point 6's rest, done as a person would with the mouse and keyboard: an edge
// lights up while a palette item (or a node with no connections yet) is dragged over it,
// before the drop that inserts it there; Ctrl+V puts the copied nodes at the mouse, or
// beside the program when the mouse is off the canvas, and never on top of a node.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startTend, type Tend } from '../support/tend.js';
import { canvasNode, canvasNodeIds, expectNoBrowserErrors, openBrowser, saved, signIn, viewportSettled, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend(), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

const program = {
  format: 'tend.flow/v1',
  name: 'Onboarding',
  nodes: [
    { id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' }, position: { x: 0, y: 100 } },
    { id: 'pause', type: 'tend.wait.duration', version: 1, config: { duration: '1 day' }, position: { x: 520, y: 100 } },
    { id: 'tips', type: 'tend.action.email', version: 1, config: { subject: 'Tips', html: '<p>Tips</p>' }, position: { x: 1040, y: 100 } },
    { id: 'bonus', type: 'tend.action.score', version: 1, config: { delta: 5, reason: 'onboarding' }, position: { x: 520, y: 420 } },
  ],
  edges: [
    { id: 'e1', source: 'signup', sourcePort: 'next', target: 'pause' },
    { id: 'e2', source: 'pause', sourcePort: 'next', target: 'tips' },
  ],
};

type Doc = { nodes: { id: string; position: { x: number; y: number } }[]; edges: { id: string; source: string; sourcePort: string; target: string }[] };
const edgePath = (page: Page, id: string) => page.locator(`.react-flow__edge[data-id="${id}"] path.react-flow__edge-path`).first();
/** What the screen draws for an edge: its stroke's colour and width. */
const stroke = (path: Locator) => path.evaluate((el) => { const c = getComputedStyle(el); return `${c.stroke} ${c.strokeWidth}`; });
/** A point on the drawn curve, half way along it. */
const midpoint = (path: Locator) => path.evaluate((el) => {
  const p = el as SVGPathElement;
  const at = p.getPointAtLength(p.getTotalLength() / 2);
  const m = p.getScreenCTM()!;
  return { x: at.x * m.a + at.y * m.c + m.e, y: at.x * m.b + at.y * m.d + m.f };
});
const centre = async (l: Locator) => { const b = (await l.boundingBox())!; return { x: b.x + b.width / 2, y: b.y + b.height / 2 }; };

test('an edge lights up under a dragged palette item or loose node, and the drop inserts it there', async () => {
  const id = (await tend.api('POST', '/api/flows', program)).body.id;
  const draft = async () => (await tend.api('GET', `/api/flows/${id}`)).body.draft as Doc;
  const { page } = s;
  await signIn(page, tend);
  await page.goto(`${tend.url}/programs/${id}`);
  await canvasNode(page, 'tips').waitFor();
  await viewportSettled(page);
  const plain = await stroke(edgePath(page, 'e1'));

  // A palette item held over the edge signup → pause: that edge is drawn highlighted.
  const item = page.getByTestId('palette-tend.action.email');
  await item.scrollIntoViewIfNeeded();
  const from = await centre(item);
  const over = await midpoint(edgePath(page, 'e1'));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 60, from.y, { steps: 4 });
  await page.mouse.move(over.x, over.y, { steps: 12 });
  await expect.poll(() => stroke(edgePath(page, 'e1'))).not.toBe(plain);
  expect(await stroke(edgePath(page, 'e2'))).toBe(plain);
  await s.screenshot('edge-highlight');
  // Moved off it, the highlight goes.
  await page.mouse.move(over.x, over.y + 160, { steps: 6 });
  await expect.poll(() => stroke(edgePath(page, 'e1'))).toBe(plain);
  // Back on it and let go: the email is inserted on that edge, and nothing stays highlighted.
  await page.mouse.move(over.x, over.y, { steps: 6 });
  await expect.poll(() => stroke(edgePath(page, 'e1'))).not.toBe(plain);
  await page.mouse.up();
  await canvasNode(page, 'email').waitFor();
  await saved(page);
  let d = await draft();
  expect(d.edges.map((e) => `${e.source}→${e.target}`).sort()).toEqual(['email→pause', 'pause→tips', 'signup→email']);
  expect(await page.locator('.react-flow__edge.drop-target').count()).toBe(0);
  await viewportSettled(page);

  // A node with no connections, dragged by its title over the edge pause → tips: highlighted; dropped: inserted.
  const e2 = d.edges.find((e) => e.source === 'pause')!.id;
  const plain2 = await stroke(edgePath(page, e2));
  const head = (await canvasNode(page, 'bonus').boundingBox())!;
  const target = await midpoint(edgePath(page, e2));
  await page.mouse.move(head.x + 40, head.y + 14);
  await page.mouse.down();
  await page.mouse.move(head.x + 60, head.y + 4, { steps: 4 });
  await page.mouse.move(target.x, target.y, { steps: 14 });
  await expect.poll(() => stroke(edgePath(page, e2))).not.toBe(plain2);
  await page.mouse.up();
  await saved(page);
  d = await draft();
  expect(d.edges.map((e) => `${e.source}→${e.target}`).sort()).toEqual(['bonus→tips', 'email→pause', 'pause→bonus', 'signup→email']);
  expect(d.nodes.map((n) => n.id)).toEqual(['signup', 'pause', 'tips', 'bonus', 'email']);
  expectNoBrowserErrors(s);
});

test('Ctrl+V pastes at the mouse, beside a node rather than on it, and beside the program when the mouse is off the canvas', async () => {
  const id = (await tend.api('POST', '/api/flows', program)).body.id;
  const draft = async () => (await tend.api('GET', `/api/flows/${id}`)).body.draft as Doc;
  const { page } = s;
  await page.goto(`${tend.url}/programs/${id}`);
  await canvasNode(page, 'tips').waitFor();
  await viewportSettled(page);
  const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

  await canvasNode(page, 'pause').click();
  await page.keyboard.press(`${mod}+c`);

  // In free space: the copy's top left lands just above and left of the mouse.
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const mouse = { x: pane.x + 260, y: pane.y + pane.height - 200 };
  await page.mouse.move(mouse.x, mouse.y);
  await page.keyboard.press(`${mod}+v`);
  const first = canvasNode(page, 'pause_2');
  await first.waitFor();
  const box = (await first.boundingBox())!;
  expect(box.x).toBeLessThan(mouse.x);
  expect(box.x + box.width).toBeGreaterThan(mouse.x);
  expect(box.y).toBeLessThan(mouse.y);
  expect(box.y + box.height).toBeGreaterThan(mouse.y);

  // Over a node: the copy goes just below it, covering nothing.
  const tips = await centre(canvasNode(page, 'tips'));
  await page.mouse.move(tips.x, tips.y);
  await page.keyboard.press(`${mod}+v`);
  await canvasNode(page, 'pause_3').waitFor();
  const boxes = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { id: e.getAttribute('data-id'), x: r.x, y: r.y, w: r.width, h: r.height }; }));
  const third = boxes.find((b) => b.id === 'pause_3')!;
  for (const b of boxes.filter((x) => x.id !== 'pause_3')) {
    expect(third.x < b.x + b.w && b.x < third.x + third.w && third.y < b.y + b.h && b.y < third.y + third.h, `pause_3 covers ${b.id}`).toBe(false);
  }
  const tipsBox = boxes.find((b) => b.id === 'tips')!;
  expect(Math.abs(third.x - tipsBox.x)).toBeLessThan(tipsBox.w);
  expect(third.y).toBeGreaterThan(tipsBox.y + tipsBox.h);
  await s.screenshot('paste-at-cursor');

  // The mouse over the inspector, not the canvas: right of everything, at the top of the program.
  await page.mouse.move(1200, 300);
  await page.keyboard.press(`${mod}+v`);
  await expect.poll(() => canvasNodeIds(page)).toContain('pause_4');
  await saved(page);
  const d = await draft();
  const pasted = d.nodes.find((n) => n.id === 'pause_4')!.position;
  const others = d.nodes.filter((n) => n.id !== 'pause_4');
  expect(pasted.x).toBeGreaterThan(Math.max(...others.map((n) => n.position.x)) + 248);
  expect(pasted.y).toBe(Math.min(...others.map((n) => n.position.y)));
  expectNoBrowserErrors(s);
});
