// Publishing a broken program is refused, and the editor points at the right nodes and
// fields. A third-party plugin's node shows up in the palette with its own form and is
// dropped onto an edge to insert it; once every problem is fixed, publishing works.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { canvasNode, expectNoBrowserErrors, openBrowser, saved, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend({ plugins: ['./test/e2e/fixtures/acme-slack.ts'] }), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

const broken = {
  format: 'tend.flow/v1',
  name: 'Welcome series',
  nodes: [
    { id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' }, position: { x: 0, y: 100 } },
    { id: 'welcome', type: 'tend.action.email', version: 1, config: { subject: '', html: '<p>Welcome!</p>' }, position: { x: 420, y: 100 } },
    { id: 'lonely', type: 'tend.wait.duration', version: 1, config: { duration: '2 days' }, position: { x: 420, y: 320 } },
  ],
  edges: [{ id: 'e1', source: 'signup', sourcePort: 'next', target: 'welcome' }],
};

test('publish is refused with badges and field messages on the right nodes; fixing them lets it publish', async () => {
  const created = await tend.api('POST', '/api/flows', broken);
  const id = created.body.id;
  const { page } = s;
  await signIn(page, tend);
  await page.getByRole('link', { name: 'Welcome series' }).click();
  await page.getByTestId('canvas').waitFor();

  // Badges on the broken nodes only.
  await canvasNode(page, 'welcome').getByTestId('problem-badge').waitFor();
  await expect.poll(() => canvasNode(page, 'lonely').getByTestId('problem-badge').count()).toBe(1);
  expect(await canvasNode(page, 'signup').getByTestId('problem-badge').count()).toBe(0);

  await page.getByTestId('publish').click();
  await page.getByTestId('toast').filter({ hasText: 'Publishing refused' }).waitFor();
  const listed = await page.getByTestId('problem').evaluateAll((els) => els.map((e) => [e.getAttribute('data-node'), e.getAttribute('data-field'), e.textContent]));
  expect(listed).toEqual(expect.arrayContaining([
    ['welcome', '/subject', 'Send emailSubject cannot be empty.'],
    ['lonely', '', 'Wait“Wait” cannot be reached from any trigger: connect a step to it, or delete it.'],
  ]));
  await s.screenshot('problems-refused');
  expect((await tend.api('GET', `/api/flows/${id}`)).body).toMatchObject({ status: 'draft', liveVersion: null, versions: [] });

  // The message sits under the exact field of the node's form.
  await page.getByTestId('problem').filter({ hasText: 'Subject' }).getByRole('button').click();
  const inspector = page.getByTestId('inspector-node');
  await inspector.getByTestId('field-error-/subject').waitFor();
  expect(await inspector.getAttribute('data-node')).toBe('welcome');
  await inspector.getByLabel('Subject').fill('Welcome, {{contact.attributes.first_name}}');
  await expect.poll(() => inspector.getByTestId('field-error-/subject').count()).toBe(0);

  // The plugin's node: in the palette under Actions, dropped on the edge signup → welcome.
  const item = page.getByTestId('palette-acme.slack.post');
  expect(await item.textContent()).toContain('Post to Slack');
  const edge = (await page.locator('.react-flow__edge[data-id="e1"] path.react-flow__edge-path').first().boundingBox())!;
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  await item.dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: edge.x + edge.width / 2 - pane.x, y: edge.y + edge.height / 2 - pane.y } });
  const slack = canvasNode(page, 'post');
  await slack.waitFor();
  expect(await slack.locator('.tnode-port').allTextContents()).toEqual(['Posted', 'Failed']);
  await slack.click();
  await inspector.getByLabel('Channel').fill('sales-alerts');
  await inspector.getByLabel('Message').fill('{{contact.email}} signed up');
  await expect.poll(async () => slack.locator('.tnode-summary').textContent()).toBe('Post to #sales-alerts');

  // Delete the unreachable wait with the keyboard.
  await canvasNode(page, 'lonely').click();
  await page.keyboard.press('Delete');
  await saved(page);
  await page.getByText('No problems').waitFor();
  await page.getByTestId('publish').click();
  await page.getByTestId('confirm-publish').click();
  await page.getByTestId('watch-banner').waitFor();

  const live = (await tend.api('GET', `/api/flows/${id}/export?version=live`)).body;
  expect(live.nodes.map((n: { id: string }) => n.id)).toEqual(['signup', 'welcome', 'post']);
  expect(live.nodes[2].config).toEqual({ channel: 'sales-alerts', message: '{{contact.email}} signed up' });
  expect(live.edges.map((e: { source: string; sourcePort: string; target: string }) => `${e.source}:${e.sourcePort}→${e.target}`).sort()).toEqual(['post:next→welcome', 'signup:next→post']);
  await s.screenshot('problems-fixed-and-published');
  expectNoBrowserErrors(s);
});
