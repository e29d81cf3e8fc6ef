// Undo/redo and copy/paste with the keyboard keep the document consistent: checked
// through the API once the editor has saved.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { canvasNode, canvasNodeIds, expectNoBrowserErrors, openBrowser, saved, signIn, viewportSettled, type Session, dragConnection } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend(), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

const program = {
  format: 'tend.flow/v1',
  name: 'Lead nurture',
  nodes: [
    { id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' }, position: { x: 0, y: 0 } },
    { id: 'pause', type: 'tend.wait.duration', version: 1, config: { duration: '1 day' }, position: { x: 340, y: 0 } },
    { id: 'tips', type: 'tend.action.email', version: 1, config: { subject: 'Tips', html: '<p>Tips</p>' }, position: { x: 680, y: 0 } },
  ],
  edges: [
    { id: 'e1', source: 'signup', sourcePort: 'next', target: 'pause' },
    { id: 'e2', source: 'pause', sourcePort: 'next', target: 'tips' },
  ],
};

type Doc = typeof program;
const draftOf = async (id: string): Promise<Doc> => (await tend.api('GET', `/api/flows/${id}`)).body.draft;
const edgesOf = (d: Doc) => d.edges.map((e) => `${e.id}:${e.source}:${e.sourcePort}→${e.target}`);

/** Every edge joins existing nodes, ids are unique, and the server finds nothing but the expected problems. */
async function expectConsistent(d: Doc, allowedUnreachable: string[] = []) {
  const ids = d.nodes.map((n) => n.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(new Set(d.edges.map((e) => e.id)).size).toBe(d.edges.length);
  for (const e of d.edges) expect(ids).toEqual(expect.arrayContaining([e.source, e.target]));
  const { body } = await tend.api('POST', '/api/flows/validate', d);
  // Problems name nodes by label or kind, so the unreachable ones are found by their paths.
  const unreachable = body.problems.map((p: { path: string; message: string }) => {
    expect(p.message).toMatch(/ cannot be reached from any trigger: connect a step to it, or delete it\.$/);
    return d.nodes[Number(/^\/nodes\/(\d+)$/.exec(p.path)?.[1])]?.id;
  });
  expect(unreachable.sort()).toEqual([...allowedUnreachable].sort());
}

test('copy/paste gives new ids with inner edges; undo/redo walk deletes, pastes and form edits', async () => {
  const id = (await tend.api('POST', '/api/flows', program)).body.id;
  const { page } = s;
  await signIn(page, tend);
  await page.goto(`${tend.url}/programs/${id}`);
  await canvasNode(page, 'tips').waitFor();
  const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

  // Copy two connected nodes, paste twice: new ids each time, the edge between them follows.
  await canvasNode(page, 'pause').click();
  await canvasNode(page, 'tips').click({ modifiers: ['Shift'] });
  await page.keyboard.press(`${mod}+c`);
  await page.keyboard.press(`${mod}+v`);
  await page.keyboard.press(`${mod}+v`);
  await expect.poll(() => canvasNodeIds(page)).toEqual(['signup', 'pause', 'tips', 'pause_2', 'tips_2', 'pause_3', 'tips_3']);
  await saved(page);
  let d = await draftOf(id);
  expect(edgesOf(d)).toEqual(['e1:signup:next→pause', 'e2:pause:next→tips', 'e3:pause_2:next→tips_2', 'e4:pause_3:next→tips_3']);
  expect(d.nodes.find((n) => n.id === 'tips_2')!.config).toEqual(program.nodes[2].config);
  await expectConsistent(d, ['pause_2', 'tips_2', 'pause_3', 'tips_3']);

  // Undo both pastes, redo one.
  await page.keyboard.press(`${mod}+z`);
  await page.keyboard.press(`${mod}+z`);
  await expect.poll(() => canvasNodeIds(page)).toEqual(['signup', 'pause', 'tips']);
  await page.keyboard.press(`${mod}+Shift+z`);
  await expect.poll(() => canvasNodeIds(page)).toEqual(['signup', 'pause', 'tips', 'pause_2', 'tips_2']);

  // Delete the middle of a chain: its predecessor now leads to its successor, in one
  // step; undo brings the node and both its edges back.
  // (Its pasted copy overlaps its lower part; click its title.)
  await canvasNode(page, 'pause').click({ position: { x: 40, y: 10 } });
  await page.keyboard.press('Delete');
  await expect.poll(() => canvasNodeIds(page)).toEqual(['signup', 'tips', 'pause_2', 'tips_2']);
  await saved(page);
  d = await draftOf(id);
  expect(edgesOf(d)).toEqual(['e3:pause_2:next→tips_2', 'e4:signup:next→tips']);
  await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);
  await page.keyboard.press(`${mod}+z`);
  await expect.poll(() => canvasNodeIds(page)).toEqual(['signup', 'pause', 'tips', 'pause_2', 'tips_2']);
  await saved(page);
  d = await draftOf(id);
  expect(edgesOf(d)).toEqual(['e1:signup:next→pause', 'e2:pause:next→tips', 'e3:pause_2:next→tips_2']);
  await expectConsistent(d, ['pause_2', 'tips_2']);

  // A form edit is one undo step, whatever the number of keystrokes.
  await canvasNode(page, 'pause').click({ position: { x: 40, y: 10 } });
  const amount = page.getByTestId('inspector-node').getByLabel('Amount');
  await amount.fill('');
  await amount.pressSequentially('14');
  await expect.poll(() => canvasNode(page, 'pause').locator('.tnode-summary').textContent()).toBe('Wait 14 days');
  await page.locator('.react-flow__pane').click({ position: { x: 30, y: 400 } });
  await page.keyboard.press(`${mod}+z`);
  await expect.poll(() => canvasNode(page, 'pause').locator('.tnode-summary').textContent()).toBe('Wait 1 day');
  await page.keyboard.press(`${mod}+y`);
  await expect.poll(() => canvasNode(page, 'pause').locator('.tnode-summary').textContent()).toBe('Wait 14 days');
  await saved(page);
  d = await draftOf(id);
  expect(d.nodes.find((n) => n.id === 'pause')!.config).toEqual({ duration: '14 days' });
  await expectConsistent(d, ['pause_2', 'tips_2']);

  // Auto-layout untangles the pasted copies (and is saved, and undoable like any edit).
  await page.keyboard.press('l');
  const pauseAt = async () => JSON.stringify((await draftOf(id)).nodes.find((n) => n.id === 'pause_2'));
  const beforeLayout = await pauseAt();
  await expect.poll(pauseAt, { timeout: 10_000 }).not.toBe(beforeLayout);
  await saved(page);
  const laidOut = await draftOf(id);
  const y = (n: string) => (laidOut.nodes.find((x) => x.id === n) as unknown as { position: { y: number } }).position.y;
  expect(y('pause_2')).not.toBe(y('pause'));
  await viewportSettled(page);

  // Connections that break the rules are refused as they are drawn, with the reason.
  // (From a node away from the canvas edges: a drag near an edge pans the canvas.)
  await dragConnection(page, { node: 'pause_2', port: 'next' }, 'signup');
  await page.getByTestId('toast').filter({ hasText: '“signup” is a trigger' }).waitFor();
  await dragConnection(page, { node: 'signup', port: 'next' }, 'tips_2');
  await page.getByTestId('toast').filter({ hasText: 'Output “Next” of “signup” already leads to “pause”' }).waitFor();
  expect(edgesOf(await draftOf(id))).toEqual(edgesOf(d));

  // Dragging a node moves it in the saved document; undo puts it back.
  const start = (laidOut.nodes.find((n) => n.id === 'signup') as unknown as { position: { x: number; y: number } }).position;
  const box = (await canvasNode(page, 'signup').boundingBox())!;
  await page.mouse.move(box.x + 60, box.y + 12);
  await page.mouse.down();
  await page.mouse.move(box.x + 60, box.y + 140, { steps: 8 });
  await page.mouse.up();
  await saved(page);
  const moved = (await draftOf(id)).nodes.find((n) => n.id === 'signup') as unknown as { position: { y: number } };
  expect(moved.position.y).toBeGreaterThan(start.y + 50);
  await page.keyboard.press(`${mod}+z`);
  await saved(page);
  expect(((await draftOf(id)).nodes.find((n) => n.id === 'signup') as unknown as { position: { y: number } }).position).toEqual(start);
  await s.screenshot('undo-copy-paste');
  expectNoBrowserErrors(s);
});
