// Issue #13 point 3: every problem a marketer sees is a sentence naming the field in the
// form's own words (never Ajv's "must NOT have fewer than 1 characters", never a node's
// id); a template that does not read is said with the form's other problems, in the
// same round; a node just dropped shows its problems once a field of it is left (or at
// publish), while the problems panel counts them from the start.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { canvasNode, dragFromPalette, expectNoBrowserErrors, openBrowser, saved, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend(), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

const AJV_WORDS = /must have required property|must match|must be >=|must be string|must be integer|must NOT have|anyOf|additional properties|template syntax|Parse error|Expecting '/;

const program = {
  format: 'tend.flow/v1',
  name: 'Spring newsletter',
  nodes: [
    { id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' }, position: { x: 0, y: 100 } },
    { id: 'newsletter_mail', type: 'tend.action.email', version: 1, config: { subject: '', html: '<p>{{#if contact.email}}Hello</p>' }, position: { x: 420, y: 100 } },
  ],
  edges: [{ id: 'e1', source: 'signup', sourcePort: 'next', target: 'newsletter_mail' }],
};

test('problems are sentences in the form\'s words, templates come with the rest, a dropped node waits until a field is left', async () => {
  const id = (await tend.api('POST', '/api/flows', program)).body.id;
  const { page } = s;
  await signIn(page, tend);
  await page.goto(`${tend.url}/programs/${id}`);
  await canvasNode(page, 'newsletter_mail').getByTestId('problem-badge').waitFor();

  // The empty subject and the unclosed {{#if}} are said together, under their fields.
  await canvasNode(page, 'newsletter_mail').click();
  const inspector = page.getByTestId('inspector-node');
  expect(await inspector.getByTestId('field-error-/subject').textContent()).toBe('Subject cannot be empty.');
  expect(await inspector.getByTestId('field-error-/html').textContent()).toBe('HTML body: a block opened with {{#…}} is never closed: add its {{/…}} (line 1).');

  // A new email node, dropped in free space: no badge, no message under its fields yet…
  const panel = page.getByTestId('problems-panel');
  await expect.poll(() => panel.locator('.problems-toggle').textContent()).toMatch(/^⚠ 2 problems/);
  await dragFromPalette(page, 'tend.action.email', { x: 300, y: 130 });
  const dropped = canvasNode(page, 'email');
  await dropped.waitFor();
  await saved(page);
  // …though the panel counts its problems: the subject, the body, and that nothing leads to it.
  await expect.poll(() => panel.locator('.problems-toggle').textContent()).toMatch(/^⚠ 5 problems/);
  expect(await dropped.getByTestId('problem-badge').count()).toBe(0);
  expect(await inspector.getAttribute('data-node')).toBe('email');
  expect(await inspector.locator('.field-error').count()).toBe(0);

  // Leaving a field (Tab out of the subject) shows them, in words.
  await inspector.getByLabel('Subject').click();
  await page.keyboard.press('Tab');
  await inspector.getByTestId('field-error-/subject').filter({ hasText: /^Subject (is required|cannot be empty)\.$/ }).waitFor();
  await dropped.getByTestId('problem-badge').waitFor();

  // The panel names each node by its kind (no ids), each field by its form label.
  await panel.locator('.problems-toggle').click();
  const lines = await panel.getByTestId('problem').allTextContents();
  expect(lines).toEqual(expect.arrayContaining([
    'Send emailSubject cannot be empty.',
    'Send emailHTML body: a block opened with {{#…}} is never closed: add its {{/…}} (line 1).',
    'Send email“Send email” cannot be reached from any trigger: connect a step to it, or delete it.',
  ]));
  for (const line of lines) {
    expect(line).not.toMatch(AJV_WORDS);
    expect(line).not.toContain('newsletter_mail');
  }
  await s.screenshot('problems-plain-words');

  // A publish shows the problems of a node dropped and never touched, too.
  await panel.locator('.problems-toggle').click();
  await dragFromPalette(page, 'tend.action.sms', { x: 150, y: 560 });
  const sms = canvasNode(page, 'sms');
  await sms.waitFor();
  await saved(page);
  expect(await sms.getByTestId('problem-badge').count()).toBe(0);
  await page.getByTestId('publish').click();
  await page.getByTestId('toast').filter({ hasText: 'Publishing refused' }).waitFor();
  await sms.getByTestId('problem-badge').waitFor();

  // The API answers with the same sentences.
  const { body } = await tend.api('POST', '/api/flows/validate', (await tend.api('GET', `/api/flows/${id}`)).body.draft);
  expect(body.problems).toEqual(expect.arrayContaining([
    { path: '/nodes/1/config/subject', message: 'Subject cannot be empty.' },
    { path: '/nodes/1/config/html', message: 'HTML body: a block opened with {{#…}} is never closed: add its {{/…}} (line 1).' },
  ]));
  for (const p of body.problems) expect(p.message).not.toMatch(AJV_WORDS);
  expectNoBrowserErrors(s);
});
