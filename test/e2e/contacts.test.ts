// The Contacts screen as a marketer uses it: the list pages forward and back and
// filters by search, tag and segment; a profile shows the contact's fields, segments,
// the program they wait in, the email sent to them and their timeline (newest first,
// filtered); the personal data downloads as JSON; erasure names what goes, asks for
// "erase", and the contact is gone. Edited by hand, a contact's attributes, tags and
// phone change as typed, and the history of changes says what changed and who did it,
// beside the changes a program made.
import fs from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { expectNoBrowserErrors, openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend(), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

test('find a contact, read their profile and timeline, export them, erase them', async () => {
  const { page } = s;
  const program = await tend.publish({
    format: 'tend.flow/v1', name: 'Welcome',
    nodes: [
      { id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } },
      { id: 'welcome', type: 'tend.action.email', version: 1, config: { subject: 'Welcome, {{contact.attributes.first_name}}', html: '<p>Hi</p>' } },
      { id: 'wait', type: 'tend.wait.event', version: 1, config: { eventType: 'purchased', timeout: '7 days' } },
    ],
    edges: [{ id: 'e1', source: 'signup', sourcePort: 'next', target: 'welcome' }, { id: 'e2', source: 'welcome', sourcePort: 'next', target: 'wait' }],
  });
  await tend.sql("INSERT INTO contacts (email) SELECT 'bulk' || lpad(g::text, 3, '0') || '@example.com' FROM generate_series(1, 120) g");
  await tend.api('PUT', '/api/contacts', { email: 'ada@example.com', attributes: { first_name: 'Ada', plan: 'pro' }, tags: ['vip'] });
  await tend.api('POST', '/api/segments', { key: 'vips', name: 'VIPs', condition: { field: 'contact.tags', op: 'contains', value: 'vip' } });
  await tend.event({ type: 'signed_up', email: 'ada@example.com' });
  await tend.mailbox.waitFor(1, 30_000);
  await tend.until(async () => (await tend.api('GET', `/api/flows/${program}/stats`)).body.nodes.wait?.waiting === 1, 'Ada waiting', 30_000);

  await signIn(page, tend);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Contacts' }).click();
  await page.getByRole('heading', { name: 'Contacts', exact: true }).waitFor();
  await page.getByTestId('contacts-total').filter({ hasText: '121 contacts' }).waitFor();
  // Pages of 50, forward and back, on the list's own cursor: every contact on exactly one page.
  const emails = async () => (await page.getByTestId('contact-row').locator('td:first-child').allTextContents());
  await page.getByText('1–50 of 121').waitFor();
  const pages = [await emails()];
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('51–100 of 121').waitFor();
  pages.push(await emails());
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('101–121 of 121').waitFor();
  pages.push(await emails());
  expect(pages.map((p) => p.length)).toEqual([50, 50, 21]);
  expect(new Set(pages.flat()).size).toBe(121);
  expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
  await page.getByRole('button', { name: 'Previous' }).click();
  await page.getByText('51–100 of 121').waitFor();
  expect(await emails()).toEqual(pages[1]);
  // Filters: the segment, the tag, a search for an attribute's value.
  await page.getByLabel('Segment').selectOption({ label: 'VIPs' });
  await page.getByTestId('contacts-total').filter({ hasText: /^1 contact$/ }).waitFor();
  await page.getByLabel('Segment').selectOption({ label: 'Every segment' });
  await page.getByLabel('Search contacts').fill('pro');
  await page.getByTestId('contacts-total').filter({ hasText: /^1 contact$/ }).waitFor();
  // Columns chosen by the person: the plan attribute in, the external id out; kept on reload.
  const header = () => page.getByRole('table', { name: 'Contacts' }).locator('thead th').allTextContents();
  expect(await header()).toEqual(['Email', 'External id', 'Score', 'Tags', 'Created']);
  await page.getByText('Columns', { exact: true }).click();
  const menu = page.getByRole('group', { name: 'Columns shown' });
  await menu.getByRole('checkbox', { name: 'plan attribute' }).check();
  await menu.getByRole('checkbox', { name: 'External id' }).uncheck();
  expect(await header()).toEqual(['Email', 'Score', 'Tags', 'Created', 'plan']);
  expect(await page.getByTestId('contact-row').first().locator('td').last().textContent()).toBe('pro');
  await s.screenshot('contacts');
  await page.reload();
  await page.getByLabel('Search contacts').fill('pro');
  await page.getByTestId('contacts-total').filter({ hasText: /^1 contact$/ }).waitFor();
  // The attribute column comes with the catalogue, which loads beside the list.
  await expect.poll(header).toEqual(['Email', 'Score', 'Tags', 'Created', 'plan']);

  await page.getByRole('link', { name: 'ada@example.com' }).click();
  await page.getByTestId('contact-name').filter({ hasText: 'ada@example.com' }).waitFor();
  expect(await page.getByTestId('contact-tags').textContent()).toBe('vip');
  expect(await page.getByTestId('contact-segments').textContent()).toBe('vips');
  await page.getByRole('table', { name: 'Attributes' }).getByText('pro').waitFor();
  const inProgram = page.getByTestId('contact-program');
  await inProgram.filter({ hasText: 'Welcome' }).filter({ hasText: 'wait' }).filter({ hasText: 'waiting' }).waitFor();
  await page.getByTestId('contact-message').filter({ hasText: 'Welcome, Ada' }).filter({ hasText: 'sent' }).waitFor();
  // The timeline, newest first: the wait comes before the event that started it all.
  const timeline = page.getByTestId('timeline').locator('li');
  const lines = await timeline.allTextContents();
  expect(lines[0]).toContain('wait');
  expect(lines.findIndex((l) => l.includes('Event signed_up'))).toBeGreaterThan(lines.findIndex((l) => l.includes('welcome')));
  await page.getByLabel('Show').selectOption({ label: 'Messages' });
  expect(await timeline.count()).toBe(1);
  await s.screenshot('contact-profile');

  // Export: the file is the contact's whole record.
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-contact').click()]);
  const exported = JSON.parse(fs.readFileSync((await file.path())!, 'utf8'));
  expect(exported.contact.email).toBe('ada@example.com');
  expect(exported.messages.map((m: { subject: string }) => m.subject)).toEqual(['Welcome, Ada']);

  // Erasure names what goes and asks for the word.
  const adaId = (await tend.api('GET', '/api/contacts?email=ada@example.com')).body.contacts[0].id;
  const events = (await tend.api('GET', `/api/contacts/${adaId}/timeline`)).body.entries.filter((e: { kind: string }) => e.kind === 'event').length;
  expect(events).toBeGreaterThanOrEqual(2); // the upsert's change events and signed_up
  await page.getByTestId('erase-contact').click();
  const dialog = page.getByRole('dialog', { name: 'Erase ada@example.com?' });
  await dialog.getByTestId('erase-what').filter({ hasText: `their ${events} event(s) and 1 message record(s)` }).filter({ hasText: 'runs in 1 program(s) end now' }).waitFor();
  expect(await dialog.getByRole('button', { name: 'Erase for good' }).isDisabled()).toBe(true);
  await dialog.getByLabel('Type erase to confirm').fill('erase');
  await s.screenshot('contact-erase');
  await dialog.getByRole('button', { name: 'Erase for good' }).click();
  await page.getByRole('heading', { name: 'Contacts', exact: true }).waitFor();
  await page.getByTestId('toast').filter({ hasText: 'ada@example.com was erased' }).waitFor();
  expect((await tend.api('GET', '/api/contacts?email=ada@example.com')).body.contacts).toEqual([]);
  expectNoBrowserErrors(s);
});

test('edit a contact; the history of changes names each change and who made it', async () => {
  const { page } = s;
  const program = await tend.publish({
    format: 'tend.flow/v1', name: 'VIP on order',
    nodes: [
      { id: 'order', type: 'tend.trigger.event', version: 1, config: { eventType: 'order_placed' } },
      { id: 'vip', type: 'tend.action.update-contact', version: 1, config: { operations: [{ op: 'set', field: 'tier', value: 'vip' }] } },
    ],
    edges: [{ id: 'e1', source: 'order', sourcePort: 'next', target: 'vip' }],
  });
  const id = (await tend.api('PUT', '/api/contacts', { email: 'bea@example.com', attributes: { city: 'Berlin', plan: 'pro', visits: 3 }, tags: ['newsletter'] })).body.id as string;
  await tend.event({ type: 'order_placed', email: 'bea@example.com' });
  await tend.until(async () => (await tend.api('GET', `/api/contacts/${id}`)).body.attributes.tier === 'vip', 'the program to set the tier');

  await page.goto(`${tend.url}/contacts/${id}`);
  await page.getByTestId('edit-contact').click();
  const dialog = page.getByRole('dialog', { name: 'Edit bea@example.com' });
  const row = (name: string) => dialog.getByTestId('attribute-row').filter({ has: page.locator(`input[value="${name}"]`) });
  await row('city').getByRole('textbox').nth(1).fill('Paris');
  await row('plan').getByRole('button').click(); // removed
  await dialog.getByRole('button', { name: '+ Attribute' }).click();
  const n = await dialog.getByTestId('attribute-row').count();
  await dialog.getByLabel(`Attribute ${n}: name`).fill('company_size');
  await dialog.getByLabel(`Attribute ${n}: value`).fill('250');
  await dialog.getByLabel('Tags (comma between)').fill('newsletter, partner');
  await dialog.getByLabel('Phone').fill('+49 30 1234567');
  await dialog.getByLabel('Time zone').fill('Moon/Base');
  await dialog.getByRole('button', { name: 'Save' }).click();
  expect(await dialog.getByRole('alert').textContent()).toContain('/timezone: "Moon/Base" is not an IANA time zone');
  expect((await tend.api('GET', `/api/contacts/${id}`)).body.attributes.city).toBe('Berlin'); // nothing half-stored
  expect(s.errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
  s.errors.length = 0;
  await dialog.getByLabel('Time zone').fill('Europe/Paris');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('toast').filter({ hasText: 'Contact saved' }).waitFor();

  expect((await tend.api('GET', `/api/contacts/${id}`)).body).toMatchObject({
    phone: '+49 30 1234567', timezone: 'Europe/Paris', tags: ['newsletter', 'partner'],
    attributes: { city: 'Paris', visits: 3, company_size: 250, tier: 'vip' },
  });
  expect((await tend.api('GET', `/api/contacts/${id}`)).body.attributes).not.toHaveProperty('plan');

  await page.getByRole('combobox', { name: 'Show' }).selectOption('changes');
  const changes = page.getByTestId('change-entry');
  // Newest first: the hand edit (by the key this browser signed in with), then the program's, then the first upsert.
  await expect.poll(() => changes.count()).toBe(3);
  const edit = await changes.nth(0).textContent();
  expect(edit).toContain('Changed by TEND_API_KEY');
  for (const line of ['Phone: — → +49 30 1234567', 'Time zone: — → Europe/Paris', 'Tags: newsletter → newsletter, partner', 'city: Berlin → Paris', 'plan: pro → —', 'company_size: — → 250']) expect(edit).toContain(line);
  expect(await changes.nth(1).textContent()).toBe('Changed by VIP on order · vip:tier: — → vip');
  await s.screenshot('contact-history');
  expect(program).toBeTruthy();
  expectNoBrowserErrors(s);
});
