// Signing in to the editor with scoped keys: the key lives in this tab's sessionStorage
// only (no localStorage, no cookie, not in another tab); a read key looks but its
// changes are refused with the scope named; a revoked key signs the user out.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { openBrowser, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend({ worker: false }), openBrowser()]); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

test('a read key signs in for this tab only, reads programs, is refused changes, and is signed out once revoked', async () => {
  await tend.api('POST', '/api/flows', { format: 'tend.flow/v1', name: 'Welcome series', nodes: [{ id: 't', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } }], edges: [] });
  const read = (await tend.api('POST', '/api/keys', { name: 'viewer', scope: 'read' })).body;
  const { page } = s;

  await page.goto(tend.url + '/');
  await page.getByText('Use an API key instead').click();
  await page.getByLabel('API key').fill('tend_read_nottherealkeynottherealkey00');
  await page.getByRole('button', { name: 'Use the key' }).click();
  await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor();

  await page.getByLabel('API key').fill(read.key);
  await page.getByRole('button', { name: 'Use the key' }).click();
  await page.getByRole('link', { name: 'Welcome series' }).waitFor();
  const stored = await page.evaluate(() => ({ session: sessionStorage.getItem('tend.apiKey'), local: localStorage.length, cookie: document.cookie }));
  expect(stored).toEqual({ session: read.key, local: 0, cookie: '' });
  expect(await page.context().cookies()).toEqual([]);

  // Another tab of the same browser does not share the key.
  const other = await page.context().newPage();
  await other.goto(tend.url + '/');
  await other.getByLabel('Password').waitFor();
  await other.close();

  // A change is refused, and the message names the scope needed.
  await page.getByRole('button', { name: 'Duplicate' }).click();
  await page.getByTestId('toast').filter({ hasText: 'needs scope write' }).waitFor();
  expect(await tend.sql('SELECT count(*)::int AS n FROM programs')).toEqual([{ n: 1 }]);

  // Revoked: the next request signs out, and the key leaves the tab.
  await tend.api('DELETE', `/api/keys/${read.id}`);
  await page.reload();
  await page.getByLabel('Password').waitFor();
  expect(await page.evaluate(() => sessionStorage.getItem('tend.apiKey'))).toBeNull();

  // Only the refusals the test provoked reached the console.
  expect(s.errors.filter((e) => !/status of (401|403)/.test(e))).toEqual([]);
});
