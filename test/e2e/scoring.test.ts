// Lead scoring in the browser: an admin writes "Visited pricing: +5, at most 15 a day,
// taken back after 30 days, only when the page is the pricing page" by picking, and
// the contacts' scores follow the rule: four pricing visits give 15, a blog visit none.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { expectNoBrowserErrors, openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend(), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

test('write a scoring rule by picking; scores follow it, capped', async () => {
  // What the catalogue offers: a page_view event with a url.
  await tend.event({ type: 'page_view', email: 'seen@example.com', properties: { url: '/home' } });

  const { page } = s;
  await signIn(page, tend);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Scoring' }).click();
  await page.getByRole('heading', { name: 'No scoring rules yet' }).waitFor();
  await page.getByRole('button', { name: 'New rule' }).click();
  const dialog = page.getByRole('dialog', { name: 'New scoring rule' });
  await dialog.getByLabel('Name', { exact: true }).fill('Visited pricing');
  await dialog.getByLabel('Event type').fill('page_view');
  await dialog.getByLabel('Points', { exact: true }).fill('5');
  await dialog.getByLabel('Cap: points').fill('15');
  await dialog.getByLabel('Cap period: amount').fill('1');
  await dialog.getByLabel('Cap period: unit').selectOption('days');
  await dialog.getByLabel('Decay: amount').fill('30');
  await dialog.getByLabel('Decay: unit').selectOption('days');
  await dialog.getByLabel('Only when a condition holds for the event').check();
  const builder = dialog.getByTestId('condition-builder');
  await builder.getByRole('button', { name: '+ Condition' }).first().click();
  const row = builder.locator('.rule').nth(0);
  await row.getByTitle('Field').selectOption({ label: 'Url (page_view)' });
  await row.getByTitle('How to compare').selectOption({ label: 'contains' });
  await row.getByLabel('Value').fill('pricing');
  await s.screenshot('scoring-rule');
  await dialog.getByRole('button', { name: 'Save' }).click();
  const rule = page.getByTestId('rule-row').filter({ hasText: 'Visited pricing' });
  await rule.filter({ hasText: '+5' }).filter({ hasText: '15 per 1 day' }).filter({ hasText: '30 days' }).filter({ hasText: 'with a condition' }).waitFor();

  const stored = (await tend.api('GET', '/api/scoring-rules')).body.rules;
  expect(stored).toEqual([expect.objectContaining({ name: 'Visited pricing', eventType: 'page_view', points: 5, cap: { points: 15, per: '1 day' }, expiresAfter: '30 days', where: { all: [{ field: 'event.properties.url', op: 'contains', value: 'pricing' }] } })]);

  for (let i = 0; i < 4; i++) await tend.event({ type: 'page_view', email: 'ada@example.com', properties: { url: '/pricing' } });
  await tend.event({ type: 'page_view', email: 'bob@example.com', properties: { url: '/blog' } });
  const score = async (email: string) => (await tend.api('GET', `/api/contacts?email=${email}`)).body.contacts[0]?.score;
  await tend.until(async () => (await score('ada@example.com')) === 15, 'Ada at the cap of 15');
  expect(await score('bob@example.com')).toBe(0);
  await s.screenshot('scoring');
  expectNoBrowserErrors(s);
});
