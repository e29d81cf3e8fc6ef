// Each edit screen waits for what it edits: while the stored form, segment, content slot
// or landing page is on its way, the screen says "Loading…" and offers no field, so
// nothing typed in that moment is overwritten when it arrives (the landing page screen
// lost a ticked box that way in a CI run). The answer is held back with a browser route.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { expectNoBrowserErrors, fieldValues, openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
beforeAll(async () => { [tend, s] = await Promise.all([startTend({ worker: false }), openBrowser()]); await signIn(s.page, tend); });
afterAll(async () => { await s?.close(); await tend?.stop(); });

const email = { name: 'email', label: 'Email', type: 'email', required: true };

test.each([
  { screen: 'forms', api: 'forms', body: { name: 'Held newsletter', fields: [email], thankYou: 'Thanks', submitLabel: 'Join' } },
  { screen: 'segments', api: 'segments', body: { key: 'held-vips', name: 'Held VIPs', condition: { field: 'contact.tags', op: 'contains', value: 'vip' } } },
  { screen: 'website', api: 'content-slots', body: { key: 'held-hero', name: 'Held hero', defaultHtml: '<p>Hi</p>', variants: [] } },
  { screen: 'landing-pages', api: 'landing-pages', body: { slug: 'held-page', name: 'Held page', goal: { kind: 'cta', withinDays: 7 }, variants: ['a', 'b'].map((key) => ({ key, name: key.toUpperCase(), weight: 1, blocks: [{ type: 'heading', text: 'Held', level: 1 }, { type: 'cta', label: 'Go', url: 'https://example.com/' }] })) } },
])('the $screen screen offers no field until the stored one has arrived', async ({ screen, api, body }) => {
  const created = await tend.api('POST', `/api/${api}`, body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  const { page } = s;
  let release!: () => void;
  const held = new Promise<void>((r) => { release = r; });
  const pattern = new RegExp(`/api/${api}/${id}$`);
  await page.route(pattern, async (route) => { await held; await route.continue(); });
  try {
    await page.goto(`${tend.url}/${screen}/${id}`);
    await page.getByText('Loading…').waitFor();
    expect(await page.locator('main input, main textarea, main select').count()).toBe(0);
    release();
    await expect.poll(() => fieldValues(page.locator('body')), { timeout: 10_000 }).toContain(body.name);
  } finally {
    release();
    await page.unroute(pattern);
  }
  expectNoBrowserErrors(s);
});
