// A form's results in the browser: a hidden field (campaign = spring) added in the
// builder and saved; a visitor opens the hosted page and signs up; the form's page then
// shows the view, the submission and the conversion rate, and the submission with the
// contact's email and the hidden field, which leads to the contact's profile. Older
// submissions come a page at a time ("Load more").
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { expectNoBrowserErrors, openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend({ worker: false }), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

test('a hidden field, a visitor signs up on the hosted page, the form shows views, conversion and the submission', async () => {
  const { page } = s;
  await signIn(page, tend);
  await page.goto(`${tend.url}/forms/new`);
  const form = page.getByRole('region', { name: 'Form' });
  await form.getByLabel('Name', { exact: true }).fill('Spring webinar');
  await form.getByRole('button', { name: '+ Hidden field' }).click();
  await form.getByLabel('Hidden field 1: attribute').fill('campaign');
  await form.getByLabel('Hidden field 1: value').fill('spring');
  // A second row, removed again: only campaign is saved.
  await form.getByRole('button', { name: '+ Hidden field' }).click();
  await form.getByLabel('Hidden field 2: attribute').fill('source');
  await form.getByRole('button', { name: 'Remove hidden field 2' }).click();
  await page.getByTestId('save-form').click();
  await expect.poll(() => page.url()).toMatch(/\/forms\/[0-9a-f-]{36}$/);
  const formId = /\/forms\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
  expect((await tend.api('GET', `/api/forms/${formId}`)).body.hidden).toEqual({ campaign: 'spring' });

  // Nobody has seen it yet: the editor's own preview is not a view.
  const results = page.getByRole('region', { name: 'Submissions' });
  await results.getByText('No submissions yet').waitFor();
  expect(await results.getByTestId('form-views').locator('.card-value').textContent()).toBe('0');
  expect(await results.getByTestId('form-conversion').locator('.card-value').textContent()).toBe('—');

  // A visitor, in a tab of their own, on the hosted page.
  const visitor = await page.context().newPage();
  await visitor.goto(String(await page.getByTestId('hosted-link').getAttribute('href')));
  await visitor.getByLabel('Email').fill('ada@example.com');
  await visitor.getByRole('button', { name: 'Sign up' }).click();
  await visitor.getByText('Thank you!').waitFor();
  await visitor.close();
  const [event] = await tend.sql<{ contact_id: string; properties: { hidden: unknown } }>("SELECT contact_id, properties FROM events WHERE type = 'form_submitted'");
  expect(event!.properties.hidden).toEqual({ campaign: 'spring' });

  // The marketer comes back to the form: the hidden field is still there, and the results.
  await page.reload();
  expect(await form.getByLabel('Hidden field 1: attribute').inputValue()).toBe('campaign');
  expect(await form.getByLabel('Hidden field 1: value').inputValue()).toBe('spring');
  const row = results.getByTestId('form-submission');
  await row.first().waitFor();
  expect(await row.count()).toBe(1);
  expect(Number(await results.getByTestId('form-views').locator('.card-value').textContent())).toBeGreaterThanOrEqual(1);
  expect(await results.getByTestId('form-submission-count').locator('.card-value').textContent()).toBe('1');
  expect(await results.getByTestId('form-conversion').locator('.card-value').textContent()).toMatch(/^\d+%$/);
  expect(await row.textContent()).toContain('ada@example.com');
  expect(await row.textContent()).toContain('campaign: spring');
  await results.getByTestId('chart-form').locator('.recharts-bar-rectangle').first().waitFor();
  await results.scrollIntoViewIfNeeded();
  await s.screenshot('form-submissions');

  await row.getByRole('link', { name: 'ada@example.com' }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe(`/contacts/${event!.contact_id}`);
  await page.getByTestId('contact-name').filter({ hasText: 'ada@example.com' }).waitFor();

  // More submissions than a page holds: the rest come with "Load more", newest first.
  for (let i = 1; i <= 26; i++) {
    const res = await fetch(`${tend.url}/f/${formId}/submit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ values: { email: `reader${i}@example.com` } }) });
    expect(res.status).toBe(200);
  }
  await page.goBack();
  await results.getByRole('button', { name: 'Refresh' }).click();
  await results.getByTestId('form-submission-count').locator('.card-value').filter({ hasText: '27' }).waitFor();
  expect(await row.count()).toBe(25);
  expect(await row.first().textContent()).toContain('reader26@example.com');
  await results.getByRole('button', { name: 'Load more' }).click();
  await expect.poll(() => row.count()).toBe(27);
  expect(await row.last().textContent()).toContain('ada@example.com');
  expect(await results.getByRole('button', { name: 'Load more' }).count()).toBe(0);
  expectNoBrowserErrors(s);
});
