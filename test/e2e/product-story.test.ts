// Issue #16's story, in the browser only, against a real Tend and a real website on
// another origin: a marketer imports 1,000 contacts from a CSV, puts the tracking
// snippet on the site and sees a page view arrive, builds a form and embeds it, writes a
// scoring rule and a "Hot leads" segment, builds and publishes a program that starts
// when someone enters that segment; a visitor becomes Ada (one of the imported
// contacts) through the form, reads the pricing page twice, scores, enters the
// segment, gets the email; the marketer watches it all on Ada's profile.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { startTend, type Tend } from '../support/tend.js';
import { canvasNode, connectHandles, dragFromPalette, openBrowser, saved, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
let site: http.Server;
let siteUrl: string;
/** What the marketer pasted into the site's pages. */
const pasted = { head: '', body: '' };
let csv: string;

beforeAll(async () => {
  [tend, s] = await Promise.all([startTend(), openBrowser()]);
  site = http.createServer((req, res) => {
    if (req.url === '/favicon.ico') return void res.writeHead(204).end();
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>Pricing</title>${pasted.head}<h1>Acme pricing</h1>${pasted.body}`);
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  siteUrl = `http://localhost:${(site.address() as AddressInfo).port}`;
  const rows = ['email,first_name,company'];
  for (let i = 1; i < 1000; i++) rows.push(`lead${i}@example.com,Lead ${i},Company ${i % 37}`);
  rows.push('ada@example.com,Ada,Analytical Engines');
  csv = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tend-story-')), 'leads.csv');
  fs.writeFileSync(csv, rows.join('\n') + '\n');
});
afterAll(async () => {
  await s?.close();
  site?.closeAllConnections();
  await new Promise((r) => site?.close(r));
  await tend?.stop();
});

const screen = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name, exact: true }).click();

test('import, track, a form, scoring, a segment, a program on it, and a contact through it on their profile', async () => {
  const { page } = s;
  await signIn(page, tend);

  // 1. 1,000 contacts from a CSV.
  await screen(page, 'Contacts');
  await page.getByRole('button', { name: 'Import CSV…' }).click();
  const importer = page.getByRole('dialog', { name: 'Import contacts from a CSV file' });
  await importer.getByTestId('import-csv').setInputFiles(csv);
  await importer.getByRole('button', { name: 'Import 1,000 contacts' }).click();
  await importer.getByTestId('import-report').filter({ hasText: '1,000 created' }).waitFor({ timeout: 60_000 });
  await importer.getByRole('button', { name: 'Done' }).click();
  await page.getByTestId('contacts-total').filter({ hasText: '1,000 contacts' }).waitFor();

  // 2. The tracking snippet on the site; a page view arrives.
  await screen(page, 'Settings');
  const siteForm = page.getByRole('form', { name: 'New site key' });
  await siteForm.getByLabel('Name').fill('acme.example');
  await siteForm.getByRole('button', { name: 'Create' }).click();
  const keyDialog = page.getByRole('dialog', { name: 'Site key “acme.example”' });
  pasted.head = (await keyDialog.getByTestId('snippet').textContent())!;
  await keyDialog.getByRole('button', { name: 'Done' }).click();
  const visitor = await page.context().browser()!.newContext().then((c) => c.newPage());
  await visitor.goto(`${siteUrl}/pricing`);
  await expect.poll(async () => { await page.getByTestId('check-tracking').click(); return page.getByTestId('site-key-row').textContent(); }, { timeout: 20_000 }).toContain(`${siteUrl}/pricing`);

  // 3. A form, embedded on the site.
  await screen(page, 'Forms');
  await page.getByRole('button', { name: 'New form' }).click();
  const form = page.getByRole('region', { name: 'Form' });
  await form.getByLabel('Name', { exact: true }).fill('Talk to us');
  await form.getByLabel('Button').fill('Send');
  await page.getByTestId('save-form').click();
  pasted.body = (await page.getByTestId('embed').textContent())!;

  // 4. Scoring: the pricing page is worth 10.
  await screen(page, 'Scoring');
  await page.getByRole('button', { name: 'New rule' }).click();
  const rule = page.getByRole('dialog', { name: 'New scoring rule' });
  await rule.getByLabel('Name', { exact: true }).fill('Read pricing');
  await rule.getByLabel('Event type').fill('page_view');
  await rule.getByLabel('Points', { exact: true }).fill('10');
  await rule.getByLabel('Only when a condition holds for the event').check();
  const ruleRow = rule.getByTestId('condition-builder');
  await ruleRow.getByRole('button', { name: '+ Condition' }).first().click();
  await ruleRow.locator('.rule').nth(0).getByTitle('Field').selectOption({ label: 'Path (page_view)' });
  await ruleRow.locator('.rule').nth(0).getByTitle('How to compare').selectOption({ label: 'contains' });
  await ruleRow.locator('.rule').nth(0).getByLabel('Value').fill('pricing');
  await rule.getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('rule-row').filter({ hasText: 'Read pricing' }).waitFor();

  // 5. The "Hot leads" segment: a score of at least 15.
  await screen(page, 'Segments');
  await page.getByRole('button', { name: 'New segment' }).click();
  const segment = page.getByRole('region', { name: 'Segment' });
  await segment.getByLabel('Name', { exact: true }).fill('Hot leads');
  const segmentBuilder = page.getByTestId('condition-builder');
  await segmentBuilder.getByRole('button', { name: '+ Condition' }).first().click();
  await segmentBuilder.locator('.rule').nth(0).getByTitle('Field').selectOption({ label: 'Score' });
  await segmentBuilder.locator('.rule').nth(0).getByTitle('How to compare').selectOption({ label: 'is at least' });
  await segmentBuilder.locator('.rule').nth(0).getByLabel('Value').fill('15');
  await page.getByTestId('segment-preview-count').filter({ hasText: '0 contacts' }).waitFor();
  await page.getByTestId('save-segment').click();
  await expect.poll(() => page.url()).toMatch(/\/segments\/[0-9a-f-]{36}$/);

  // 6. A program that starts when someone enters it, published.
  await screen(page, 'Programs');
  await page.getByRole('button', { name: 'New program' }).first().click();
  await page.getByLabel('Name').fill('Hot lead follow-up');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByTestId('canvas').waitFor();
  const inspector = page.getByTestId('inspector-node');
  await dragFromPalette(page, 'tend.trigger.segment-entered', { x: 150, y: 140 });
  await canvasNode(page, 'segment_entered').click();
  await expect.poll(() => inspector.getByTestId('suggestions-segment').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toContain('hot-leads');
  await inspector.getByLabel('Segment key').fill('hot-leads');
  await dragFromPalette(page, 'tend.action.email', { x: 150, y: 400 });
  await canvasNode(page, 'email').click();
  await inspector.getByLabel('Subject').fill('{{contact.attributes.first_name}}, shall we talk about {{contact.attributes.company}}?');
  await inspector.getByLabel('HTML body').fill('<p>You read our pricing: here is a call slot.</p>');
  await connectHandles(page, { node: 'segment_entered', port: 'next' }, 'email');
  await saved(page);
  await page.getByText('No problems').waitFor();
  await page.getByTestId('publish').click();
  await page.getByTestId('confirm-publish').click();
  await page.getByTestId('watch-banner').filter({ hasText: 'Watching version 1' }).waitFor();

  // 7. The visitor becomes Ada through the embedded form, and reads pricing twice more.
  await visitor.reload();
  await visitor.getByLabel('Email').fill('ada@example.com');
  await visitor.getByRole('button', { name: 'Send' }).click();
  await visitor.locator('[data-tend-thanks]').waitFor();
  await visitor.reload();
  await visitor.getByRole('heading', { name: 'Acme pricing' }).waitFor();
  await visitor.reload();
  const mail = await tend.until(async () => tend.mailbox.messages.find((m) => m.subject === 'Ada, shall we talk about Analytical Engines?'), 'the follow-up email', 60_000);
  expect((mail.to as { text: string }).text).toBe('ada@example.com');
  await visitor.context().close();

  // 8. Ada's profile: the score, the segment, the program and the email.
  await page.getByRole('link', { name: 'Programs' }).first().click();
  await screen(page, 'Contacts');
  await page.getByLabel('Search contacts').fill('ada@');
  await page.getByRole('link', { name: 'ada@example.com' }).click();
  await page.getByTestId('contact-segments').filter({ hasText: 'hot-leads' }).waitFor();
  expect(Number(await page.getByTestId('contact-score').textContent())).toBeGreaterThanOrEqual(20);
  await page.getByTestId('contact-program').filter({ hasText: 'Hot lead follow-up' }).waitFor();
  await page.getByTestId('contact-message').filter({ hasText: 'Ada, shall we talk about Analytical Engines?' }).filter({ hasText: 'sent' }).waitFor();
  await s.screenshot('product-story-profile');
  expect(tend.mailbox.messages.filter((m) => m.subject?.includes('shall we talk'))).toHaveLength(1);
});
