// Two tabs on one program: the second save made from an older revision is refused
// (409) and the tab asks to reload the other version or keep its own — never a silent
// overwrite (before, tab B's autosave erased tab A's change).
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { startTend, type Tend } from '../support/tend.js';
import { canvasNode, expectNoBrowserErrors, openBrowser, saved, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend({ worker: false }), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

const program = {
  format: 'tend.flow/v1', name: 'Two tabs',
  nodes: [
    { id: 'event', type: 'tend.trigger.event', version: 1, position: { x: 100, y: 100 }, config: { eventType: 'joined' } },
    { id: 'email', type: 'tend.action.email', version: 1, position: { x: 100, y: 300 }, config: { subject: 'Welcome', html: '<p>Hi</p>' } },
  ],
  edges: [{ id: 'e1', source: 'event', sourcePort: 'next', target: 'email' }],
};

test('the API: a save from an older revision is 409 with the current one; a save without If-Match still wins', async () => {
  const created = (await tend.api('POST', '/api/flows', program)).body;
  expect(created.revision).toBe(1);
  const put = (revision: string | undefined, name: string) => fetch(`${tend.url}/api/flows/${created.id}`, {
    method: 'PUT', headers: { authorization: `Bearer ${tend.apiKey}`, 'content-type': 'application/json', ...(revision ? { 'if-match': revision } : {}) }, body: JSON.stringify({ ...program, name }),
  }).then(async (r) => ({ status: r.status, etag: r.headers.get('etag'), body: await r.json() }));
  const first = await put('"1"', 'A');
  expect([first.status, first.body.revision, first.etag]).toEqual([200, 2, '"2"']);
  const stale = await put('"1"', 'B');
  expect(stale.status).toBe(409);
  expect(stale.body).toMatchObject({ currentRevision: 2, errors: [{ path: '/headers/if-match' }] });
  expect((await tend.api('GET', `/api/flows/${created.id}`)).body.draft.name).toBe('A');
  expect((await put(undefined, 'C')).body.revision).toBe(3);
  expect((await put('"x"', 'D')).status).toBe(400);
});

async function openProgram(page: Page, id: string) {
  await page.goto(`${tend.url}/programs/${id}`);
  await page.getByTestId('canvas').waitFor();
}

test('two tabs: the later save asks — reload theirs, or keep mine — and nothing is lost without asking', async () => {
  const id = (await tend.api('POST', '/api/flows', { ...program, name: 'Two tabs in the browser' })).body.id;
  const a = s.page;
  await signIn(a, tend);
  const contextB = await s.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const b = await contextB.newPage();
  const bErrors: string[] = [];
  b.on('pageerror', (e) => bErrors.push(e.message));
  await signIn(b, tend);
  await openProgram(a, id);
  await openProgram(b, id);

  // Tab A changes the subject and saves.
  await canvasNode(a, 'email').click();
  await a.getByTestId('inspector-node').getByLabel('Subject').fill('Subject from A');
  await saved(a);
  // Tab B, opened at the same revision, changes it too: refused, and asked.
  await canvasNode(b, 'email').click();
  await b.getByTestId('inspector-node').getByLabel('Subject').fill('Subject from B');
  await b.getByTestId('conflict').waitFor();
  await expect.poll(async () => (await b.getByTestId('save-state').textContent())).toBe('Not saved: changed elsewhere');
  await s.screenshot('concurrent-edits-conflict');
  await b.screenshot({ path: 'test/artifacts/concurrent-edits-conflict-tab-b.png' });
  expect((await tend.api('GET', `/api/flows/${id}`)).body.draft.nodes[1].config.subject).toBe('Subject from A');

  // Reload theirs: tab B now shows A's subject, and its next change saves on top of it.
  await b.getByTestId('conflict-reload').click();
  await b.getByTestId('conflict').waitFor({ state: 'detached' });
  await canvasNode(b, 'email').click();
  expect(await b.getByTestId('inspector-node').getByLabel('Subject').inputValue()).toBe('Subject from A');
  await b.getByTestId('inspector-node').getByLabel('HTML body').fill('<p>Body from B</p>');
  await saved(b);
  expect((await tend.api('GET', `/api/flows/${id}`)).body.draft.nodes[1].config).toMatchObject({ subject: 'Subject from A', html: '<p>Body from B</p>' });

  // Tab A, now behind, changes the subject again: asked; it keeps its own version.
  await a.getByTestId('inspector-node').getByLabel('Subject').fill('Subject from A, kept');
  await a.getByTestId('conflict').waitFor();
  await a.getByTestId('conflict-keep-mine').click();
  await saved(a);
  const draft = (await tend.api('GET', `/api/flows/${id}`)).body.draft;
  expect(draft.nodes[1].config).toMatchObject({ subject: 'Subject from A, kept', html: '<p>Hi</p>' });
  expect(bErrors).toEqual([]);
  await contextB.close();
  // A 409 on a fetch is reported by Chromium as a failed resource load: the only console errors allowed.
  s.errors.splice(0, s.errors.length, ...s.errors.filter((e) => !/409/.test(e)));
  expectNoBrowserErrors(s);
});
