// Two marketers on one program, each in their own browser: the second to open it sees
// the first there ("Also here"); a comment on a node with an @mention picked from the
// team reaches the mentioned person's mailbox; the email's link opens the program with
// that node selected, where they answer in the thread; the node shows its comment count.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { startTend, type Tend } from '../support/tend.js';
import { personClient } from '../support/person.js';
import { setupToken } from '../../engine/access/people.js';
import { canvasNode, expectNoBrowserErrors, openBrowser, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend({ worker: false }), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

const PASSWORD = 'a long enough passphrase';

async function account(email: string, name: string): Promise<void> {
  const owner = personClient(tend.url);
  const token = await setupToken(tend.services.db);
  if (token) await owner.call('POST', '/api/auth/setup', { token, email: 'olive@example.com', name: 'Olive', password: PASSWORD });
  else await owner.call('POST', '/api/auth/sign-in', { email: 'olive@example.com', password: PASSWORD });
  expect((await owner.call('POST', '/api/users/invitations', { email, role: 'marketer' })).status).toBe(201);
  const mail = await tend.until(async () => tend.mailbox.messages.find((m) => m.subject === 'You are invited to Tend' && m.to && 'text' in m.to && m.to.text === email), `the invitation to ${email}`);
  const made = await personClient(tend.url).call('POST', '/api/auth/accept-invitation', { token: /\/invitation#([A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1], name, password: PASSWORD });
  expect(made.status).toBe(201);
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(tend.url + '/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Programs', exact: true }).waitFor();
}

test('presence, a comment with an @mention, its email, and the answer in the thread', async () => {
  await account('grace@example.com', 'Grace Hopper');
  await account('mark@example.com', 'Mark');
  const programId = (await tend.api('POST', '/api/flows', {
    format: 'tend.flow/v1', name: 'Welcome',
    nodes: [{ id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' }, position: { x: 80, y: 120 } }, { id: 'welcome', type: 'tend.action.email', version: 1, config: { subject: 'Hi', html: '<p>Hi</p>' }, position: { x: 400, y: 120 } }],
    edges: [{ id: 'e1', source: 'signup', sourcePort: 'next', target: 'welcome' }],
  })).body.id;

  const grace = s.page;
  const markContext = await s.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const mark = await markContext.newPage();
  const markErrors: string[] = [];
  mark.on('console', (m) => { if (m.type() === 'error') markErrors.push(m.text()); });
  mark.on('pageerror', (e) => markErrors.push(e.message));

  await signIn(grace, 'grace@example.com');
  await grace.goto(`${tend.url}/programs/${programId}`);
  await canvasNode(grace, 'welcome').waitFor();
  await signIn(mark, 'mark@example.com');
  await mark.goto(`${tend.url}/programs/${programId}`);
  await mark.getByTestId('presence').filter({ hasText: 'Also here: Grace Hopper' }).waitFor();
  // Grace's editor learns of Mark at its next heartbeat (20 s); a reload asks at once.
  await grace.reload();
  await grace.getByTestId('presence').filter({ hasText: 'Also here: Mark' }).waitFor();

  // Grace comments on the email node and picks Mark from the team as she types "@Ma".
  await canvasNode(grace, 'welcome').click();
  const box = grace.getByTestId('inspector-node').getByLabel('New comment');
  await box.click();
  await box.pressSequentially('@Ma');
  await grace.getByRole('listbox', { name: 'Mention someone' }).getByRole('button', { name: '@Mark' }).click();
  await box.pressSequentially('can you check the subject?');
  expect(await box.inputValue()).toBe('@Mark can you check the subject?');
  await grace.getByTestId('inspector-node').getByRole('button', { name: 'Comment', exact: true }).click();
  await grace.getByTestId('thread').filter({ hasText: '@Mark can you check the subject?' }).waitFor();
  await canvasNode(grace, 'welcome').getByTestId('comment-badge').filter({ hasText: '1' }).waitFor();

  // Mark's mailbox, and the link in it: the program opens with the node selected.
  const mail = await tend.until(async () => tend.mailbox.messages.find((m) => m.subject === 'Grace Hopper mentioned you on “Welcome”'), 'the mention email');
  expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('mark@example.com');
  await mark.goto(/(http\S+\/programs\/\S+\?node=welcome)/.exec(mail.text ?? '')![1]!);
  const inspector = mark.getByTestId('inspector-node');
  await expect.poll(() => inspector.getAttribute('data-node')).toBe('welcome');
  const thread = inspector.getByTestId('thread').filter({ hasText: '@Mark can you check the subject?' });
  // Opening the reply box, writing and sending, tried up to three times: on a loaded CI
  // machine (once in about twenty full runs) the box closed again right after it opened,
  // while the page was still settling from the link. The reply must land in the thread
  // once (checked below through the API, which would show a second copy).
  const reply = thread.getByTestId('comment').filter({ hasText: 'Done: it now says who it is from.' });
  for (let attempt = 1; ; attempt++) {
    try {
      const box = thread.getByLabel('Reply');
      if (!(await box.isVisible())) await thread.getByRole('button', { name: 'Reply' }).click();
      await box.fill('Done: it now says who it is from.', { timeout: 5_000 });
      await thread.locator('button.primary', { hasText: 'Reply' }).click({ timeout: 5_000 });
      await reply.waitFor({ timeout: 10_000 });
      break;
    } catch (e) {
      if (attempt === 3 || (await reply.count()) > 0) throw e;
    }
  }
  await thread.scrollIntoViewIfNeeded();
  await mark.screenshot({ path: 'test/artifacts/comments.png' });

  const { comments } = (await tend.api('GET', `/api/flows/${programId}/comments`)).body;
  expect(comments.map((c: { author: { name: string }; body: string; nodeId: string }) => [c.author.name, c.nodeId, c.body])).toEqual([
    ['Grace Hopper', 'welcome', '@Mark can you check the subject?'],
    ['Mark', 'welcome', 'Done: it now says who it is from.'],
  ]);
  expect(comments[0].mentions.map((m: { name: string }) => m.name)).toEqual(['Mark']);
  expect(tend.mailbox.messages.filter((m) => /mentioned you/.test(m.subject ?? ''))).toHaveLength(1);

  expect(markErrors).toEqual([]);
  await markContext.close();
  expectNoBrowserErrors(s);
});
