// The Messages screen: every email a program sent or tried, newest first; a refused
// address shows as failed with the server's reason; search by recipient, filter by
// status; each row leads to the contact and to the program's node. Topics: a marketer
// adds "Product news", a reader leaves it on the real preference page (reached from the
// email's link), and the screen counts them and shows the page as a subscriber sees
// it. Layouts and sender: each layout's source beside its rendering.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { expectNoBrowserErrors, openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend(), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

const refusal = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

test('find sent and failed messages, and where they came from', async () => {
  const programId = await tend.publish({
    format: 'tend.flow/v1', name: 'Welcome',
    nodes: [
      { id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } },
      { id: 'welcome', type: 'tend.action.email', version: 1, config: { subject: 'Welcome, {{contact.email}}', html: '<p>Hi</p>' } },
    ],
    edges: [{ id: 'e1', source: 'signup', sourcePort: 'next', target: 'welcome' }],
  });
  tend.mailbox.beforeAccept = async (raw) => { if (raw.toString('utf8').includes('bounce@example.com')) throw refusal(550, 'No such user'); };
  for (const email of ['ann@example.com', 'ben@example.com', 'bounce@example.com']) await tend.event({ type: 'signed_up', email });
  await tend.until(async () => (await tend.api('GET', `/api/flows/${programId}/stats`)).body.enrollments.completed === 3, 'three runs', 60_000);

  const { page } = s;
  await signIn(page, tend);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Messages' }).click();
  await expect.poll(() => page.getByTestId('message-row').count()).toBe(3);
  await page.getByLabel('Status').selectOption('failed');
  await expect.poll(() => page.getByTestId('message-row').count()).toBe(1);
  const failed = page.getByTestId('message-row').first();
  expect(await failed.textContent()).toContain('bounce@example.com');
  await failed.getByTestId('message-reason').filter({ hasText: 'No such user' }).waitFor();
  await s.screenshot('messages');
  await page.getByLabel('Status').selectOption('');
  await page.getByLabel('Search messages').fill('ben@');
  const ben = page.getByTestId('message-row').filter({ hasText: 'Welcome, ben@example.com' });
  await ben.waitFor();
  await expect.poll(() => page.getByTestId('message-row').count()).toBe(1);
  await ben.getByRole('link', { name: 'Welcome' }).click();
  await expect.poll(() => page.getByTestId('inspector-node').getAttribute('data-node')).toBe('welcome');
  expectNoBrowserErrors(s);
});

test('topics: add one, a reader leaves it on the preference page, the screen counts them; layouts and sender', async () => {
  const { page } = s;
  await page.goto(`${tend.url}/messages`);
  await page.getByRole('tab', { name: 'Topics' }).click();
  await page.getByRole('button', { name: 'New topic' }).click();
  const dialog = page.getByRole('dialog', { name: 'New topic' });
  await dialog.getByLabel('Name (the contact reads it)').fill('Product news');
  expect(await dialog.getByLabel('Key').inputValue()).toBe('product-news');
  await dialog.getByLabel('Description (one line under the name)').fill('New features, once a month');
  await dialog.getByRole('button', { name: 'Save' }).click();
  const row = page.getByTestId('topic-row').filter({ hasText: 'Product news' });
  await row.waitFor();
  expect(await row.getByTestId('topic-opted-out').textContent()).toBe('0');
  // The preview is fetched again after the list: it may come a moment later.
  await expect.poll(() => page.frameLocator('[data-testid=preference-frame]').getByText('New features, once a month').count()).toBe(1);

  // A reader gets a news email and leaves the topic on the page its link opens.
  await tend.publish({
    format: 'tend.flow/v1', name: 'News',
    nodes: [
      { id: 'sub', type: 'tend.trigger.event', version: 1, config: { eventType: 'subscribed' } },
      { id: 'news', type: 'tend.action.email', version: 1, config: { subject: 'What is new', html: '<p>News</p>', topic: 'product-news' } },
    ],
    edges: [{ id: 'e1', source: 'sub', sourcePort: 'next', target: 'news' }],
  });
  await tend.event({ type: 'subscribed', email: 'reader@example.com' });
  await tend.until(async () => tend.mailbox.messages.some((m) => m.subject === 'What is new'), 'the news email');
  const mail = tend.mailbox.messages.find((m) => m.subject === 'What is new')!;
  const link = /href="([^"]*\/(?:unsubscribe|preferences)\/[^"]+)"/.exec(String(mail.html))![1]!;
  const prefs = await fetch(link);
  const form = new URLSearchParams({ action: 'topics', shown: 'product-news' }); // the box left unticked
  expect((await fetch(prefs.url, { method: 'POST', body: form, redirect: 'manual' })).status).toBe(303);

  await page.reload();
  await page.getByTestId('topic-row').filter({ hasText: 'Product news' }).getByTestId('topic-opted-out').filter({ hasText: '1' }).waitFor();
  await s.screenshot('messages-topics');
  // The reader's profile says which topic they left.
  const reader = (await tend.api('GET', '/api/contacts?email=reader@example.com')).body.contacts[0].id as string;
  await page.goto(`${tend.url}/contacts/${reader}`);
  expect(await page.getByTestId('contact-topics-left').textContent()).toBe('product-news');
  await page.goto(`${tend.url}/messages?tab=topics`);

  await page.getByRole('tab', { name: 'Layouts and sender' }).click();
  expect(await page.getByTestId('sender-from').textContent()).toContain('@');
  expect(await page.getByTestId('layout-source').textContent()).toContain('{{{body}}}');
  await page.frameLocator('[data-testid=layout-frame]').getByRole('heading', { name: /^Hello / }).waitFor();
  await page.getByRole('tab', { name: 'plain' }).click();
  expect(await page.getByTestId('layout-source').textContent()).toBe('{{{body}}}');
  await s.screenshot('messages-layouts');
  expectNoBrowserErrors(s);
});
