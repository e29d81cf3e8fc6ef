// Stored XSS: markup injected into a program's name, node labels, templates, contact
// attributes and event properties is shown as text everywhere in the editor; nothing
// of it runs (the email preview renders in a sandboxed frame without scripts).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { canvasNode, expectNoBrowserErrors, openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend(), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

const PAYLOAD = '<img src=x onerror="window.__xss=(window.__xss||0)+1">';

test('injected markup is text in the programs list, canvas, inspector, preview and timeline', async () => {
  const program = await tend.publish({
    format: 'tend.flow/v1',
    name: `Sale ${PAYLOAD}`,
    description: `About ${PAYLOAD}`,
    nodes: [
      { id: 'start', type: 'tend.trigger.event', version: 1, label: `Start ${PAYLOAD}`, config: { eventType: 'visited' }, position: { x: 0, y: 100 } },
      { id: 'wait', type: 'tend.wait.duration', version: 1, label: `Wait ${PAYLOAD}`, config: { duration: '1 hour' }, position: { x: 300, y: 100 } },
      { id: 'mail', type: 'tend.action.email', version: 1, label: `Mail ${PAYLOAD}`, config: { subject: `Hi ${PAYLOAD}`, html: `<p>Hello ${PAYLOAD} {{contact.attributes.name}}</p>` }, position: { x: 600, y: 100 } },
    ],
    edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'wait' }, { id: 'e2', source: 'wait', sourcePort: 'next', target: 'mail' }],
  });
  await tend.event({ type: 'visited', email: 'mallory@example.com', properties: { page: PAYLOAD }, contact: { attributes: { name: PAYLOAD }, tags: ['x<script>window.__xss=9</script>'] } });
  await tend.until(async () => (await tend.sql("SELECT 1 FROM node_visits WHERE node_id = 'wait' AND status = 'waiting'")).length === 1, 'the contact waiting');

  const { page } = s;
  await signIn(page, tend);
  await page.getByText(`Sale ${PAYLOAD}`).first().waitFor(); // the name, as text
  await page.goto(`${tend.url}/programs/${program}`);
  await canvasNode(page, 'mail').getByText(`Mail ${PAYLOAD}`).waitFor();
  await canvasNode(page, 'mail').click();
  await page.getByTestId('preview-frame').waitFor();
  // The preview frame runs no script even though the template has the markup.
  expect(await page.getByTestId('preview-frame').getAttribute('sandbox')).toBe('');
  await canvasNode(page, 'wait').click();
  await page.getByTestId('contact-here').filter({ hasText: 'mallory@example.com' }).click();
  await page.getByTestId('timeline').getByText('visited').first().waitFor();
  await page.getByTestId('timeline').getByText(PAYLOAD, { exact: false }).first().waitFor();
  await s.screenshot('stored-xss');

  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator('img[src="x"]').count()).toBe(0); // no such element in the editor's own document
  // The one console error is Chromium refusing the injected handler inside the preview's sandbox.
  const blocked = s.errors.filter((e) => e.includes("Blocked script execution in 'about:srcdoc'"));
  expect(blocked.length).toBeGreaterThan(0);
  s.errors.splice(0, s.errors.length, ...s.errors.filter((e) => !blocked.includes(e)));
  expectNoBrowserErrors(s);
});
