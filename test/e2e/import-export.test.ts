// Import a template file, change a wait in the inspector, export, and compare the
// exported file with the template plus exactly that change.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { canvasNode, expectNoBrowserErrors, openBrowser, saved, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend(), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

// No positions: the editor lays the template out when it opens it.
const template = {
  format: 'tend.flow/v1',
  name: 'Abandoned cart',
  description: 'Remind shoppers who leave items in their cart.',
  settings: { correlationKey: 'properties.cart_id' },
  nodes: [
    { id: 'checkout', type: 'tend.trigger.event', version: 1, config: { eventType: 'checkout_started' } },
    { id: 'wait_order', type: 'tend.wait.event', version: 1, config: { eventType: 'order_completed', timeout: '3 hours' } },
    { id: 'reminder', type: 'tend.action.email', version: 1, config: { subject: 'Your cart misses you', html: '<p>Come back</p>' } },
  ],
  edges: [
    { id: 'e1', source: 'checkout', sourcePort: 'next', target: 'wait_order' },
    { id: 'e2', source: 'wait_order', sourcePort: 'timeout', target: 'reminder' },
  ],
};

test('import a template file, change the wait, export: the file is the template plus that change', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-import-'));
  const file = path.join(dir, 'abandoned-cart.json');
  fs.writeFileSync(file, JSON.stringify(template, null, 2));
  const { page } = s;
  await signIn(page, tend);
  await page.getByTestId('import-file').setInputFiles(file);
  await canvasNode(page, 'wait_order').waitFor();
  // Laid out left to right.
  const x = async (id: string) => (await canvasNode(page, id).boundingBox())!.x;
  expect(await x('checkout')).toBeLessThan(await x('wait_order'));
  expect(await x('wait_order')).toBeLessThan(await x('reminder'));

  await canvasNode(page, 'wait_order').click();
  const inspector = page.getByTestId('inspector-node');
  expect(await inspector.getByLabel('Amount').inputValue()).toBe('3');
  expect(await inspector.getByLabel('Unit').inputValue()).toBe('hours');
  await inspector.getByLabel('Amount').fill('2');
  await inspector.getByLabel('Unit').selectOption('days');
  await expect.poll(() => canvasNode(page, 'wait_order').locator('.tnode-summary').textContent()).toBe('Wait up to 2 days for order_completed');
  await saved(page);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  expect(download.suggestedFilename()).toBe('abandoned-cart.tend.json');
  const exported = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
  await s.screenshot('import-export');

  expect(exported.$schema).toBe('/schemas/tend.flow.v1.json');
  const { $schema: _schema, ...rest } = exported;
  const withoutPositions = { ...rest, nodes: rest.nodes.map(({ position: _p, ...n }: { position?: unknown }) => n) };
  const expected = structuredClone(template);
  expected.nodes[1].config.timeout = '2 days';
  expect(withoutPositions).toEqual(expected);
  // Positions from the layout travel with the file.
  for (const n of exported.nodes) expect(n.position).toEqual({ x: expect.any(Number), y: expect.any(Number) });
  expectNoBrowserErrors(s);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the programs list: start from a bundled template, duplicate, rename and archive', async () => {
  const { page } = s;
  await page.getByRole('link', { name: 'Programs' }).click();
  await page.getByRole('button', { name: 'Templates' }).click();
  await page.getByRole('button', { name: /Welcome series/ }).click();
  await canvasNode(page, 'nudge').waitFor();
  await page.getByRole('link', { name: 'Programs' }).click();

  const row = (name: string) => page.getByTestId('program-row').and(page.locator(`[data-name="${name}"]`));
  await row('Welcome series').getByRole('button', { name: 'Duplicate' }).click();
  await row('Welcome series (copy)').getByRole('button', { name: 'Rename' }).click();
  await page.getByRole('dialog').getByLabel('Name').fill('Welcome series B');
  await page.getByRole('dialog').getByRole('button', { name: 'Rename' }).click();
  await row('Welcome series B').waitFor();
  await row('Abandoned cart').getByRole('button', { name: 'Archive' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Archive' }).click();
  await expect.poll(() => page.getByTestId('program-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')).sort())).toEqual(['Welcome series', 'Welcome series B']);
  await s.screenshot('programs-list');

  const all = (await tend.api('GET', '/api/flows?archived=true')).body.programs as { name: string; status: string }[];
  expect(all.map((p) => [p.name, p.status]).sort((a, b) => a[0].localeCompare(b[0]))).toEqual([['Abandoned cart', 'archived'], ['Welcome series', 'draft'], ['Welcome series B', 'draft']]);
  const copy = all.find((p) => p.name === 'Welcome series B') as unknown as { id: string };
  const doc = (await tend.api('GET', `/api/flows/${copy.id}`)).body.draft;
  expect(doc.nodes).toHaveLength(6);
  expectNoBrowserErrors(s);
});
