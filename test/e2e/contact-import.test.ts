// Importing 1,000 contacts from a CSV in the browser: the columns are guessed from the
// headers and adjusted (LTV read as a number), the first rows shown as they will be
// stored, the import runs in batches with a progress bar, and the report names the
// refused rows by line and column. Importing the same file again changes nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { expectNoBrowserErrors, openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
let csv: string;
beforeAll(async () => {
  [tend, s] = await Promise.all([startTend({ worker: false }), openBrowser()]);
  const rows = ['E-mail,First Name,Plan,LTV,Tags'];
  for (let i = 1; i <= 1000; i++) rows.push(`person${i}@example.com,Name ${i},${i % 2 ? 'pro' : 'free'},${i * 10},${i % 10 === 0 ? 'vip;newsletter' : ''}`);
  rows.push('broken@example.com,Broken,pro,a lot,');   // line 1002: LTV is not a number
  rows.push('too,few');                                  // line 1003: 2 fields, the header has 5
  csv = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tend-import-')), 'people.csv');
  fs.writeFileSync(csv, rows.join('\n') + '\n');
});
afterAll(async () => { await s?.close(); await tend?.stop(); });

test('import 1,000 contacts from a CSV, with a report of the refused rows; again, and nothing changes', async () => {
  const { page } = s;
  await signIn(page, tend);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Contacts' }).click();
  await page.getByRole('button', { name: 'Import CSV…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import contacts from a CSV file' });
  await dialog.getByTestId('import-csv').setInputFiles(csv);
  await dialog.getByText('people.csv: 1,001 rows, 1 unreadable').waitFor();
  expect(await dialog.getByLabel('“E-mail” goes to').inputValue()).toBe('email');
  expect(await dialog.getByLabel('“Tags” goes to').inputValue()).toBe('tags');
  expect(await dialog.getByLabel('Attribute for “First Name”').inputValue()).toBe('first_name');
  await dialog.getByLabel('Read “LTV”').selectOption('number');
  expect((await dialog.getByTestId('import-preview').textContent())!.split('\n')[0]).toBe('{"email":"person1@example.com","attributes":{"first_name":"Name 1","plan":"pro","ltv":10}}');
  await s.screenshot('contact-import-mapping');
  await dialog.getByRole('button', { name: 'Import 1,000 contacts' }).click();
  const report = dialog.getByTestId('import-report');
  await report.filter({ hasText: '1,000 created, 0 updated, 0 unchanged, 2 refused' }).waitFor({ timeout: 60_000 });
  expect(await report.getByRole('table', { name: 'Refused rows' }).locator('tbody tr').allTextContents()).toEqual([
    '1002attributes.ltv (column "LTV"): "a lot" is not a number',
    '1003has 2 fields, the header has 5',
  ]);
  await s.screenshot('contact-import-report');
  await report.getByRole('button', { name: 'Done' }).click();
  await page.getByTestId('contacts-total').filter({ hasText: '1,000 contacts' }).waitFor();
  const tenth = (await tend.api('GET', '/api/contacts?email=person10@example.com')).body.contacts[0];
  expect(tenth).toMatchObject({ tags: ['vip', 'newsletter'], attributes: { first_name: 'Name 10', plan: 'free', ltv: 100 } });

  // The same file again: every contact is found unchanged.
  await page.getByRole('button', { name: 'Import CSV…' }).click();
  await dialog.getByTestId('import-csv').setInputFiles(csv);
  await dialog.getByLabel('Read “LTV”').selectOption('number');
  await dialog.getByRole('button', { name: 'Import 1,000 contacts' }).click();
  await report.filter({ hasText: '0 created, 0 updated, 1,000 unchanged, 2 refused' }).waitFor({ timeout: 60_000 });
  expectNoBrowserErrors(s);
});
