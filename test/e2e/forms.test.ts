// A form built in the browser: the email field is there from the start, "First name"
// fills first_name, a choice of plan; created, its real hosted page is the preview, and
// a visitor filling it in (inside the preview) becomes a contact with those attributes
// and sees the thank-you. The hosted link and the embed snippet are shown to copy.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { expectNoBrowserErrors, openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend({ worker: false }), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

test('build a form, see its page, submit it, find the contact', async () => {
  const { page } = s;
  await signIn(page, tend);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Forms' }).click();
  await page.getByRole('heading', { name: 'No forms yet' }).waitFor();
  await page.getByRole('button', { name: 'New form' }).click();
  const form = page.getByRole('region', { name: 'Form' });
  await form.getByLabel('Name', { exact: true }).fill('Newsletter');
  expect(await form.getByLabel('Field 1: attribute').inputValue()).toBe('email');
  await form.getByRole('button', { name: '+ Field' }).click();
  await form.getByLabel('Field 2: label').fill('First name');
  expect(await form.getByLabel('Field 2: attribute').inputValue()).toBe('first_name');
  await form.getByTestId('form-field').nth(1).getByLabel('required').check();
  await form.getByRole('button', { name: '+ Field' }).click();
  await form.getByLabel('Field 3: label').fill('Plan');
  await form.getByLabel('Field 3: type').selectOption('select');
  await form.getByLabel('Field 3: choices').fill('free, pro');
  await form.getByLabel('Thank-you message').fill('Welcome aboard!');
  await form.getByLabel('Button').fill('Join');
  await page.getByTestId('save-form').click();
  await expect.poll(() => page.url()).toMatch(/\/forms\/[0-9a-f-]{36}$/);
  const formId = /\/forms\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
  expect((await tend.api('GET', `/api/forms/${formId}`)).body).toMatchObject({
    name: 'Newsletter', submitLabel: 'Join', thankYou: 'Welcome aboard!',
    fields: [{ name: 'email', type: 'email', required: true }, { name: 'first_name', label: 'First name', type: 'text', required: true }, { name: 'plan', type: 'select', options: ['free', 'pro'] }],
  });
  expect(await page.getByTestId('embed').textContent()).toBe(`<div data-tend-form="${formId}"></div>`);
  expect(await page.getByTestId('hosted-link').textContent()).toBe(`${tend.url}/f/${formId}`);

  // The preview is the real page: a visitor fills it in.
  const preview = page.frameLocator('iframe[title="Form preview"]');
  await preview.getByLabel('Email').fill('ada@example.com');
  await preview.getByLabel('First name').fill('Ada');
  await preview.getByLabel('Plan').selectOption('pro');
  await s.screenshot('form-builder');
  await preview.getByRole('button', { name: 'Join' }).click();
  await preview.getByText('Welcome aboard!').waitFor();
  const ada = await tend.until(async () => (await tend.api('GET', '/api/contacts?email=ada@example.com')).body.contacts[0], 'Ada, from the form');
  expect(ada.attributes).toMatchObject({ first_name: 'Ada', plan: 'pro' });

  await page.getByRole('link', { name: 'Forms', exact: true }).first().click();
  await page.getByTestId('form-row').filter({ hasText: 'Newsletter' }).filter({ hasText: '3' }).waitFor();
  expectNoBrowserErrors(s);
});
