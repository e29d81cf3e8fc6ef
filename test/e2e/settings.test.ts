// Settings in the browser: an admin makes an API key for a CRM sync (write scope), sees
// the whole key once, and it works against the API at once (and may not manage keys);
// revoked, it is refused. A site key comes with the snippet to paste, naming this Tend;
// pasted on a page of another site and opened, the page view shows as the key's last.
// The messaging policy (a frequency cap, quiet hours, the default time zone) is set in
// its form and refused with the field named when the zone is not one; the signing
// secret's state follows a rotation.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import pg from 'pg';
import { startTend, type Tend } from '../support/tend.js';
import { rotateSigningSecret } from '../../engine/delivery/signing.js';
import { expectNoBrowserErrors, openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend({ worker: false }), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

const withKey = (key: string, method: string, path: string, body?: unknown) =>
  fetch(tend.url + path, { method, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined }).then((r) => r.status);

test('make an API key and a site key, use the API key, revoke it', async () => {
  const { page } = s;
  await signIn(page, tend);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor();

  const apiForm = page.getByRole('form', { name: 'New API key' });
  await apiForm.getByLabel('Name').fill('CRM sync');
  await apiForm.getByLabel('Scope').selectOption('write');
  await apiForm.getByRole('button', { name: 'Create' }).click();
  const dialog = page.getByRole('dialog', { name: 'API key “CRM sync”' });
  const key = (await dialog.getByTestId('new-key').textContent())!;
  expect(key).toMatch(/^tend_/);
  await s.screenshot('settings-new-key');
  await dialog.getByRole('button', { name: 'Done' }).click();
  const row = page.getByTestId('api-key-row').filter({ hasText: 'CRM sync' });
  await row.filter({ hasText: 'write' }).filter({ hasText: 'never' }).filter({ hasText: key.slice(0, 8) }).waitFor();
  expect(await withKey(key, 'GET', '/api/flows')).toBe(200);
  expect(await withKey(key, 'GET', '/api/keys')).toBe(403);

  const siteForm = page.getByRole('form', { name: 'New site key' });
  await siteForm.getByLabel('Name').fill('www.example.com');
  await siteForm.getByLabel('Your domains (optional)').fill('www.example.com shop.example.com');
  await siteForm.getByRole('button', { name: 'Create' }).click();
  const siteDialog = page.getByRole('dialog', { name: 'Site key “www.example.com”' });
  const siteKey = (await siteDialog.getByTestId('new-key').textContent())!;
  expect(await siteDialog.getByTestId('snippet').textContent()).toBe(`<script src="${tend.url}/t.js" data-key="${siteKey}" async></script>`);
  const snippet = (await siteDialog.getByTestId('snippet').textContent())!;
  await siteDialog.getByRole('button', { name: 'Done' }).click();
  const siteRow = page.getByTestId('site-key-row').filter({ hasText: 'www.example.com, shop.example.com' });
  await siteRow.filter({ hasText: 'none yet' }).waitFor();

  // The snippet on the customer's own page (another origin), opened by a visitor.
  const site = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>Pricing</title><h1>Pricing</h1>${snippet}`));
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  const landing = `http://localhost:${(site.address() as AddressInfo).port}/pricing`;
  const visitor = await page.context().newPage();
  await visitor.goto(`${landing}?email=someone@example.com`);
  await tend.until(async () => (await tend.api('GET', '/api/site-keys')).body.siteKeys.find((k: { lastSeenAt: string | null }) => k.lastSeenAt), 'the page view');
  await visitor.close();
  site.closeAllConnections();
  await new Promise((r) => site.close(r));
  await page.getByTestId('check-tracking').click();
  // The address without its query: it may carry a visitor's details.
  await siteRow.filter({ hasText: `a few seconds ago: ${landing}` }).waitFor();
  expect(await siteRow.textContent()).not.toContain('someone@example.com');
  // The live view showed the visit without a reload: the page (no query) and an anonymous visitor.
  const view = page.getByRole('region', { name: 'Live page views' }).getByTestId('page-view-row').first();
  await view.filter({ hasText: landing }).filter({ hasText: 'an anonymous visitor' }).waitFor();
  expect(await view.textContent()).not.toContain('someone@example.com');
  await page.getByRole('region', { name: 'Live page views' }).scrollIntoViewIfNeeded();
  await s.screenshot('settings-live-views');

  // Revoked: refused from then on.
  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog', { name: 'Revoke “CRM sync”?' }).getByRole('button', { name: 'Revoke' }).click();
  await row.filter({ hasText: 'revoked' }).waitFor();
  expect(await withKey(key, 'GET', '/api/flows')).toBe(401);
  await s.screenshot('settings');
  expectNoBrowserErrors(s);
});

test('set the messaging policy; a zone that is not one is refused; the signing secret after a rotation', async () => {
  const { page } = s;
  const policy = page.getByRole('region', { name: 'Messaging policy' });
  await policy.getByLabel('SMS consent').selectOption('opt-in');
  await policy.getByRole('button', { name: '+ Cap' }).click();
  await policy.getByLabel('Cap 1: messages').fill('2');
  await policy.getByLabel('Cap 1: period', { exact: true }).fill('7');
  await policy.getByLabel('Cap 1: period unit').selectOption('days');
  await policy.getByRole('button', { name: '+ Ceiling' }).click();
  await policy.getByLabel('Ceiling 1: messages').fill('120');
  await policy.getByLabel('No marketing messages at night', { exact: false }).check();
  await policy.getByLabel('Quiet from').fill('22:00');
  await policy.getByLabel('Quiet until').fill('07:30');
  await policy.getByRole('checkbox', { name: 'Email' }).check();
  await policy.getByLabel('For contacts whose time zone is unknown').fill('Mars/Olympus_Mons');
  await policy.getByRole('button', { name: 'Save the policy' }).click();
  expect(await policy.getByRole('alert').textContent()).toContain('/defaultTimezone: "Mars/Olympus_Mons" is not an IANA time zone');
  expect((await tend.api('GET', '/api/messaging-policy')).body.caps).toEqual([]); // nothing half-stored
  // The browser logs the refused PUT; that one 422 is expected.
  expect(s.errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
  s.errors.length = 0;

  await policy.getByLabel('For contacts whose time zone is unknown').fill('Europe/Berlin');
  await policy.getByRole('button', { name: 'Save the policy' }).click();
  await page.getByText('Messaging policy saved').waitFor();
  expect((await tend.api('GET', '/api/messaging-policy')).body).toEqual({
    consent: { email: 'opt-out', sms: 'opt-in' },
    caps: [{ channel: 'email', max: 2, per: '7 days' }],
    quietHours: { start: '22:00', end: '07:30', channels: ['sms', 'email'] },
    defaultTimezone: 'Europe/Berlin',
    ceilings: [{ channel: 'email', max: 120, per: '1 minute' }],
  });
  await page.reload();
  expect(await page.getByRole('region', { name: 'Messaging policy' }).getByLabel('Cap 1: messages').inputValue()).toBe('2');
  expect(await page.getByRole('region', { name: 'Messaging policy' }).getByLabel('Ceiling 1: messages').inputValue()).toBe('120');

  const signing = page.getByTestId('signing-status');
  expect(await signing.textContent()).toBe('Not rotated since Tend was set up.');
  const db = new pg.Pool({ connectionString: tend.databaseUrl });
  try { await rotateSigningSecret(db); } finally { await db.end(); }
  await page.reload();
  await page.getByTestId('signing-status').filter({ hasText: 'Last rotated a few seconds ago; links signed with the secret before still work.' }).waitFor();
  await page.getByRole('region', { name: 'Messaging policy' }).scrollIntoViewIfNeeded();
  await s.screenshot('settings-policy');
  expectNoBrowserErrors(s);
});
