// The tracking script on a real website in real Chromium: a static site on its own
// origin pastes the snippet; an anonymous visitor views two pages, clicks a CTA and
// submits the embedded form, and becomes a known contact whose timeline holds the
// earlier page views in order, with the merge recorded. The same person in a fresh
// browser identifies with the same email and is merged in too. With data-consent,
// nothing is stored and no cookie set before the banner says yes; no says stop.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { serveSite, type Site } from '../support/site.js';
import { startTend, type Tend } from '../support/tend.js';
import { openBrowser, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
let site: Site;
let siteUrl: string;
let formId: string;

beforeAll(async () => {
  [tend, s] = await Promise.all([startTend(), openBrowser()]);
  const key = (await tend.api('POST', '/api/site-keys', { name: 'localhost' })).body.key;
  formId = (await tend.api('POST', '/api/forms', {
    name: 'Talk to sales',
    fields: [
      { name: 'email', label: 'Email', type: 'email', required: true },
      { name: 'first_name', label: 'First name', type: 'text', required: true },
      { name: 'team_size', label: 'Team size', type: 'select', options: ['1-10', '11-50', '51+'] },
    ],
    thankYou: 'Thanks, talk soon!',
  })).body.id;
  // The customer's website: another port and another host name than Tend, so the script runs cross-origin.
  const snippet = `<script src="${tend.url}/t.js" data-key="${key}" async></script>`;
  const pages: Record<string, string> = {
    '/': `<!doctype html><title>Home</title><h1>Acme</h1><a href="/pricing" data-tend-cta="see-pricing">See pricing</a>${snippet}`,
    '/pricing': `<!doctype html><title>Pricing</title><h1>Pricing</h1><div data-tend-form="${formId}"></div>${snippet}`,
    // A site with a consent banner: the snippet waits for it.
    '/consent': `<!doctype html><title>Consent</title><h1>Cookies?</h1><button onclick="tend.consent('analytics', true)">Accept</button><button onclick="tend.consent('analytics', false)">Reject</button>${snippet.replace('async>', 'data-consent="required" async>')}`,
  };
  site = await serveSite(pages);
  siteUrl = site.url;
});
afterAll(async () => {
  await s?.close();
  await site?.close();
  await tend?.stop();
});

const timeline = async (contactId: string) => (await tend.api('GET', `/api/contacts/${contactId}/timeline`)).body.entries.filter((e: any) => e.kind === 'event');
const contactByEmail = async (email: string) => (await tend.api('GET', `/api/contacts?email=${encodeURIComponent(email)}`)).body.contacts[0];

test('anonymous page views, a CTA click and an embedded form submit end on one known contact, in order, merge recorded', async () => {
  const { page } = s;
  await page.goto(siteUrl + '/');
  await page.getByRole('link', { name: 'See pricing' }).click();
  await page.waitForURL(siteUrl + '/pricing');

  // The embedded form, rendered by t.js; an empty submit shows the server's messages.
  await page.getByLabel('Email').waitFor();
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect.poll(() => page.locator('[data-tend-error="first_name"]').textContent()).toBe('First name is required');
  await page.getByLabel('Email').fill('Ada@Example.com');
  await page.getByLabel('First name').fill('Ada');
  await page.getByLabel('Team size').selectOption('11-50');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.locator('[data-tend-thanks]').filter({ hasText: 'Thanks, talk soon!' }).waitFor();
  await s.screenshot('tracking-form-submitted');

  // The visitor id is a first-party cookie of the website, not of Tend.
  const cookies = await page.context().cookies(siteUrl);
  const vid = cookies.find((c) => c.name === 'tend_vid');
  expect(vid?.domain).toBe('localhost');

  const contact = await tend.until(() => contactByEmail('ada@example.com'), 'the contact');
  expect(contact.attributes).toMatchObject({ first_name: 'Ada', team_size: '11-50' });
  const events = await tend.until(async () => {
    const entries = await timeline(contact.id);
    return entries.some((e: any) => e.type === 'page_left') && entries;
  }, 'the page views on the contact');
  const outside = events.filter((e: any) => !e.type.startsWith('tend.')).map((e: any) => [e.type, e.properties.path ?? e.properties.name ?? e.properties.formId]);
  expect(outside.filter(([t]: string[]) => t === 'page_view')).toEqual([['page_view', '/'], ['page_view', '/pricing']]);
  expect(outside.findIndex(([t]: string[]) => t === 'cta_clicked')).toBeGreaterThan(outside.findIndex(([t, p]: string[]) => t === 'page_view' && p === '/'));
  expect(outside.findIndex(([t]: string[]) => t === 'form_submitted')).toBeGreaterThan(outside.findIndex(([t, p]: string[]) => t === 'page_view' && p === '/pricing'));
  expect(events.find((e: any) => e.type === 'page_view').properties).toMatchObject({ title: 'Home', url: siteUrl + '/' });
  expect(events.find((e: any) => e.type === 'cta_clicked').properties).toMatchObject({ name: 'see-pricing', text: 'See pricing' });
  const merged = events.filter((e: any) => e.type === 'tend.contacts_merged');
  expect(merged).toHaveLength(1);
  expect(merged[0].properties).toMatchObject({ reason: `form ${formId}`, identities: [{ kind: 'anonymous', value: vid!.value }] });
  // Time on page arrives from the beacon on leaving the first page.
  expect(events.find((e: any) => e.type === 'page_left').properties).toMatchObject({ path: '/', seconds: expect.any(Number) });
  // The one refused submit is logged by Chromium as a failed resource; nothing else may be.
  expect(s.errors.filter((e) => !e.includes('status of 422'))).toEqual([]);
});

test('a second browser of the same person identifies with the same email and is merged in', async () => {
  const context = await s.browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(siteUrl + '/');
  await page.waitForFunction(() => (window as any).tend?.loaded === true);
  const contact = await contactByEmail('ada@example.com');
  const before = (await timeline(contact.id)).filter((e: any) => e.type === 'page_view').length;
  await page.evaluate(() => (window as any).tend.identify({ email: 'ada@example.com', plan_interest: 'teams' }));
  await page.evaluate(() => (window as any).tend.track('video_played', { video: 'intro' }));
  const events = await tend.until(async () => {
    const entries = await timeline(contact.id);
    return entries.some((e: any) => e.type === 'video_played') && entries;
  }, 'the second browser on the contact');
  expect(events.filter((e: any) => e.type === 'page_view')).toHaveLength(before + 1);
  expect(events.filter((e: any) => e.type === 'tend.contacts_merged')).toHaveLength(2);
  expect((await tend.api('GET', `/api/contacts/${contact.id}`)).body.attributes).toMatchObject({ plan_interest: 'teams' });
  await page.screenshot({ path: 'test/artifacts/tracking-second-browser.png' });
  await context.close();
  expect(errors).toEqual([]);
});

test('a click on an email link lands on the site identified: the browser joins the contact, the token leaves the address bar', async () => {
  await tend.api('POST', '/api/site-keys', { name: 'email links', domains: ['localhost'] });
  await tend.publish({
    format: 'tend.flow/v1',
    name: 'Pricing mail',
    nodes: [
      { id: 'asked', type: 'tend.trigger.event', version: 1, config: { eventType: 'pricing_requested' } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'Our prices', html: `<p><a href="${siteUrl}/?utm_source=mail">See our prices</a></p>` } },
    ],
    edges: [{ id: 'e1', source: 'asked', sourcePort: 'next', target: 'mail' }],
  });
  const { contactId } = await tend.event({ type: 'pricing_requested', email: 'grace@example.com' });
  const mail = (await tend.until(async () => tend.mailbox.messages.find((m) => m.subject === 'Our prices'), 'the email'))!;
  const link = /href="([^"]+\/c\/[^"]+)"/.exec(String(mail.html))![1]!;

  // This browser visited anonymously before; then its owner clicks the link in the email.
  const context = await s.browser.newContext();
  const page = await context.newPage();
  await page.goto(siteUrl + '/pricing');
  await page.getByLabel('Email').waitFor();
  await page.goto(link);
  await page.waitForURL(`${siteUrl}/?utm_source=mail`); // tend_c taken off the address bar
  const events = await tend.until(async () => {
    const entries = await timeline(contactId);
    return entries.filter((e: any) => e.type === 'page_view').length === 2 && entries;
  }, 'both page views on the contact');
  expect(events.filter((e: any) => e.type === 'page_view').map((e: any) => e.properties.url)).toEqual([`${siteUrl}/pricing`, `${siteUrl}/?utm_source=mail`]);
  expect(events.find((e: any) => e.type === 'tend.contacts_merged').properties).toMatchObject({ reason: 'email click' });
  await context.close();
});

test('with data-consent="required": no cookie and no page view before consent; accepting starts both; rejecting stops and deletes the cookie', async () => {
  const context = await s.browser.newContext();
  const page = await context.newPage();
  const views = async () => (await tend.sql<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE type = 'page_view' AND properties->>'path' = '/consent'"))[0]!.n;
  const cookie = async () => (await context.cookies(siteUrl)).find((c) => c.name === 'tend_vid');
  await page.goto(siteUrl + '/consent');
  await page.waitForFunction(() => (window as unknown as { tend?: { loaded?: boolean } }).tend?.loaded === true);
  await page.evaluate(() => (window as unknown as { tend: { track: (t: string) => Promise<unknown> } }).tend.track('before_consent'));
  await new Promise((r) => setTimeout(r, 500));
  expect(await views()).toBe(0);
  expect(await cookie()).toBeUndefined();
  expect((await tend.sql("SELECT 1 FROM events WHERE type = 'before_consent'")).length).toBe(0);

  await page.getByRole('button', { name: 'Accept' }).click();
  await tend.until(async () => (await views()) === 1, 'the page view once accepted');
  const vid = (await cookie())?.value;
  expect(vid).toMatch(/^[A-Za-z0-9_-]{8,64}$/);

  await page.getByRole('button', { name: 'Reject' }).click();
  await expect.poll(async () => (await cookie())?.value).toBeUndefined();
  await page.evaluate(() => (window as unknown as { tend: { track: (t: string) => Promise<unknown> } }).tend.track('after_rejecting'));
  await new Promise((r) => setTimeout(r, 500));
  expect((await tend.sql("SELECT 1 FROM events WHERE type = 'after_rejecting'")).length).toBe(0);
  await context.close();
});
