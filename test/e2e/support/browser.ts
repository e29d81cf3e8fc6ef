// Real Chromium (Debian's, never a downloaded one) driven by playwright-core against a
// real Tend. Every console error or uncaught page error fails the test that saw it.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Tend } from '../../support/tend.js';

export const artifacts = path.join(process.cwd(), 'test', 'artifacts');

export interface Session {
  browser: Browser;
  page: Page;
  errors: string[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<Session> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  fs.mkdirSync(artifacts, { recursive: true });
  return {
    browser, page, errors,
    screenshot: async (name) => { await page.screenshot({ path: path.join(artifacts, `${name}.png`) }); },
    close: async () => { await browser.close(); },
  };
}

/** Opens Tend's root URL and signs in with the API key, landing on the programs list. */
export async function signIn(page: Page, tend: Tend): Promise<void> {
  await page.goto(tend.url + '/');
  await page.getByText('Use an API key instead').click();
  await page.getByLabel('API key').fill(tend.apiKey);
  await page.getByRole('button', { name: 'Use the key' }).click();
  await page.getByRole('heading', { name: 'Programs', exact: true }).waitFor();
}

export function expectNoBrowserErrors(s: Session): void {
  expect(s.errors).toEqual([]);
}

/** What a form's fields hold (a text field's value is not its text). */
export const fieldValues = (form: Locator): Promise<string[]> => form.locator('input, textarea, select').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));

/** The canvas node showing flow node `id`. */
export const canvasNode = (page: Page, id: string): Locator => page.locator(`.react-flow__node[data-id="${id}"]`);

/** Drags a palette item onto the canvas at a point relative to the canvas' top left. */
export async function dragFromPalette(page: Page, typeId: string, at: { x: number; y: number }): Promise<void> {
  await page.getByTestId(`palette-${typeId}`).dragTo(page.locator('.react-flow__pane'), { targetPosition: at });
}

/** The mouse gesture of drawing a connection from an output port handle to a node's input handle (or, for a trigger, which has none, its body). */
export async function dragConnection(page: Page, from: { node: string; port: string }, to: string): Promise<void> {
  const source = page.locator(`.react-flow__handle[data-nodeid="${from.node}"][data-handleid="${from.port}"]`);
  const input = page.locator(`.react-flow__handle[data-nodeid="${to}"][data-handleid="in"]`);
  const target = (await input.count()) ? input : canvasNode(page, to).locator('.tnode-head');
  const a = (await source.boundingBox())!;
  const b = (await target.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + 40, a.y + 10, { steps: 4 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 10 });
  await page.mouse.up();
}

/**
 * Draws an edge with the mouse and waits until the canvas shows it (a connection meant
 * to be refused: `dragConnection`). It caught a real fault: a connection begun right
 * after the canvas redrew was let go without an edge (editor/src/ui/Canvas.tsx keeps
 * each node's measurements now).
 */
export async function connectHandles(page: Page, from: { node: string; port: string }, to: string): Promise<void> {
  const edges = page.locator('.react-flow__edge');
  const before = await edges.count();
  await dragConnection(page, from, to);
  await expect.poll(() => edges.count(), { timeout: 5000, message: `an edge from ${from.node}.${from.port} to ${to}` }).toBeGreaterThan(before);
}

/** The ids of the nodes on the canvas, in document order. */
export async function canvasNodeIds(page: Page): Promise<string[]> {
  return page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
}

/** Waits until the editor reports every change saved. */
export async function saved(page: Page): Promise<void> {
  await page.getByTestId('save-state').filter({ hasText: 'All changes saved' }).waitFor();
}

/** Waits until the canvas stops moving (a fit-view animation has finished). */
export async function viewportSettled(page: Page): Promise<void> {
  const style = () => page.locator('.react-flow__viewport').getAttribute('style');
  let last = await style();
  for (let stable = 0; stable < 3;) {
    await page.waitForTimeout(150);
    const now = await style();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
}
