// Settings in the browser: an admin makes an API key for a CRM sync (write scope), sees
// the whole key once, and it works against the API at once (and may not manage keys);
// revoked, it is refused. A site key comes with the snippet to paste, naming this Tend;
// pasted on a page of another site and opened, the page view shows as the key's last.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
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

  // Revoked: refused from then on.
  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog', { name: 'Revoke “CRM sync”?' }).getByRole('button', { name: 'Revoke' }).click();
  await row.filter({ hasText: 'revoked' }).waitFor();
  expect(await withKey(key, 'GET', '/api/flows')).toBe(401);
  await s.screenshot('settings');
  expectNoBrowserErrors(s);
});
