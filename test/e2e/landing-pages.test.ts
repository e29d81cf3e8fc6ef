// A landing page built in the editor as a person would: two variants of blocks (the
// second a copy of the first, changed and reordered), a form as the goal, published;
// then opened at /p/:slug by a stranger's fresh browser, who signs up through the form.
// The results card counts them, and once one variant clearly converts better it names
// the winner with the two-proportion z-test and its p-value; from then on a new browser
// sees the winner. A second page counts clicks on its button as the goal; a person
// previews a variant (nothing recorded), stops its test by hand from the results card,
// and every browser then sees their choice. A third page asks before its cookie: its
// goal is one button chosen by label in the editor, a preview link opens the draft at
// its own address under a "not published" bar, and a stranger accepts the consent bar
// from the keyboard: the cookie is set and their view of the variant they saw recorded.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { artifacts, openBrowser, signIn, type Session } from './support/browser.js';
import path from 'node:path';

let tend: Tend;
let s: Session;

beforeAll(async () => {
  [tend, s] = await Promise.all([startTend({ worker: false }), openBrowser()]);
  const form = await tend.api('POST', '/api/forms', {
    name: 'Webinar sign-up', submitLabel: 'Save my seat', thankYou: 'See you on the 14th!',
    fields: [{ name: 'email', label: 'Work email', type: 'email', required: true }, { name: 'first_name', label: 'First name', type: 'text' }],
  });
  expect(form.status).toBe(201);
});
afterAll(async () => {
  await s?.close();
  await tend?.stop();
});

/** A browser as fetch sees it: its cookie's visitor id, the variant shown and the page's form fields. */
async function stranger(vid?: string) {
  const res = await fetch(`${tend.url}/p/spring-webinar`, { headers: vid ? { cookie: `tend_vid=${vid}` } : {} });
  const html = await res.text();
  const hidden = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]));
  return { vid: vid ?? /tend_vid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!, variant: /data-tend-variant="([^"]+)"/.exec(html)![1]!, action: /action="([^"]+)"/.exec(html)![1]!, hidden };
}

test('build a two-variant page, publish it, sign up on it in a fresh browser, and read the results and the winner', async () => {
  const { page } = s;
  await page.setViewportSize({ width: 1280, height: 1500 });
  await signIn(page, tend);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Landing pages' }).click();
  await page.getByRole('heading', { name: 'No landing pages yet' }).waitFor();
  await page.getByRole('button', { name: 'New landing page' }).click();

  await page.getByLabel('Name', { exact: true }).fill('Spring webinar');
  expect(await page.getByTestId('landing-address').textContent()).toBe('/p/spring-webinar');
  // Variant A: a title, a line of text and the form.
  await page.getByLabel('Variant 1: name').fill('Short');
  await page.getByLabel('Variant 1: key').fill('short');
  await page.getByLabel('Variant 1, block 1: heading').fill('Join the spring webinar');
  const addTo = (n: number) => page.getByRole('group', { name: `Add a block to variant ${n}` });
  await addTo(1).getByRole('button', { name: '+ Text' }).click();
  await page.getByLabel('Variant 1, block 2: text').fill('Forty minutes on lead scoring, live, with questions.');
  await addTo(1).getByRole('button', { name: '+ Form' }).click();
  expect(await page.getByLabel('Variant 1, block 3: form').locator('option:checked').textContent()).toBe('Webinar sign-up');

  // Variant B: a copy, with another title, a button added and moved above the form, and the text removed.
  await page.getByRole('button', { name: '+ Variant' }).click();
  await page.getByLabel('Variant 2: name').fill('Story');
  await page.getByLabel('Variant 2: key').fill('story');
  await page.getByLabel('Variant 2, block 1: heading').fill('How Acme doubled its demos');
  await addTo(2).getByRole('button', { name: '+ Button' }).click();
  await page.getByLabel('Variant 2, block 4: button text').fill('Read the whole story');
  await page.getByLabel('Variant 2, block 4: link').fill('https://www.example.com/story');
  await page.getByRole('button', { name: 'Move Variant 2, block 4 up' }).click();
  await page.getByRole('button', { name: 'Remove Variant 2, block 2' }).click();
  expect(await page.getByTestId('landing-variant').nth(1).getByTestId('landing-block').evaluateAll((els) => els.map((e) => e.getAttribute('data-type')))).toEqual(['heading', 'cta', 'form']);

  // A hostile link is refused by the server, named under its block; fixed, it saves.
  await page.getByLabel('Variant 2, block 2: link').fill('javascript:alert(1)');
  await page.getByLabel('Minimum sample').fill('10');
  await page.getByTestId('save-landing-page').click();
  await page.getByTestId('landing-variant').nth(1).getByText('must be an http:// or https:// address').waitFor();
  await page.getByLabel('Variant 2, block 2: link').fill('https://www.example.com/story');
  await page.getByTestId('publish-landing-page').click();
  await page.getByTestId('landing-status').filter({ hasText: 'published' }).waitFor();
  await page.getByRole('link', { name: 'Open page' }).waitFor();

  const [saved] = (await tend.api('GET', '/api/landing-pages')).body.landingPages;
  expect(saved).toMatchObject({ slug: 'spring-webinar', status: 'published', minSample: 10, confidence: 0.95, goal: { kind: 'form', withinDays: 7 } });
  expect(saved.variants.map((v: any) => [v.key, v.weight, v.blocks.map((b: any) => b.type)])).toEqual([['short', 1, ['heading', 'text', 'form']], ['story', 1, ['heading', 'cta', 'form']]]);

  // A stranger's fresh browser: the page, its variant, the form; they sign up.
  const context = await s.browser.newContext({ viewport: { width: 900, height: 900 } });
  const visitor = await context.newPage();
  const errors: string[] = [];
  visitor.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await visitor.goto(`${tend.url}/p/spring-webinar`);
  const shown = await visitor.locator('main').getAttribute('data-tend-variant');
  expect(['short', 'story']).toContain(shown);
  await visitor.getByRole('heading', { level: 1 }).filter({ hasText: shown === 'short' ? 'Join the spring webinar' : 'How Acme doubled its demos' }).waitFor();
  await visitor.screenshot({ path: path.join(artifacts, 'landing-page.png'), fullPage: true });
  await visitor.getByLabel('Work email').fill('ada@example.com');
  await visitor.getByLabel('First name').fill('Ada');
  await visitor.getByRole('button', { name: 'Save my seat' }).click();
  await visitor.getByText('See you on the 14th!').waitFor();
  expect(errors).toEqual([]);
  const vid = (await context.cookies(tend.url)).find((c) => c.name === 'tend_vid')!.value;
  await context.close();
  // The browser's view and the sign-up are on Ada's timeline.
  const [ada] = await tend.sql<{ id: string }>("SELECT id FROM contacts WHERE email = 'ada@example.com'");
  const timeline = (await tend.api('GET', `/api/contacts/${ada!.id}/timeline`)).body.entries.filter((e: any) => e.kind === 'event').map((e: any) => e.type);
  expect(timeline).toEqual(expect.arrayContaining(['landing_page_viewed', 'form_submitted']));
  expect((await tend.sql("SELECT 1 FROM contact_identities WHERE kind = 'anonymous' AND value = $1 AND contact_id = $2", [vid, ada!.id]))).toHaveLength(1);

  // The results card counts Ada.
  await page.reload();
  await page.getByTestId('landing-visitors').filter({ hasText: '1' }).waitFor();
  expect(await page.getByTestId('landing-conversions').locator('.card-value').textContent()).toBe('1');
  expect(await page.getByTestId('landing-undecided').textContent()).toContain('No winner yet');

  // Forty more visitors; everyone shown the story signs up, nobody shown the short page.
  const crowd = await Promise.all(Array.from({ length: 40 }, () => stranger()));
  let n = 0;
  for (const b of crowd.filter((c) => c.variant === 'story')) {
    const res = await fetch(tend.url + b.action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...b.hidden, email: `crowd${n++}@example.com` }) });
    expect(res.status).toBe(200);
  }
  await page.reload();
  await page.getByTestId('landing-winner').waitFor();
  expect(await page.getByTestId('landing-winner').textContent()).toContain('Winner: Story');
  expect(await page.getByTestId('landing-test').textContent()).toMatch(/^two-proportion z-test, p [<=] /);
  expect(await page.getByTestId('landing-variant-rate').count()).toBe(2);
  await page.screenshot({ path: path.join(artifacts, 'landing-page-editor.png'), fullPage: true });
  // The one refusal the test asked for (the javascript: link) is the browser's only complaint.
  expect(s.errors).toEqual(['console: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)']);

  // From now on every browser sees the winner, those split to the short page before too.
  const after = await Promise.all([...crowd.filter((c) => c.variant === 'short').slice(0, 3).map((c) => stranger(c.vid)), stranger(), stranger()]);
  expect(after.map((a) => a.variant)).toEqual(Array(after.length).fill('story'));
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Landing pages' }).click();
  await page.getByTestId('landing-page-row').filter({ hasText: 'Story' }).filter({ hasText: '/p/spring-webinar' }).waitFor();
});

test('a button click counts as the goal; the test stopped by hand on the results card; every browser then sees the chosen variant', async () => {
  const { page } = s;
  const errorsBefore = s.errors.length;
  const target = `${tend.url}/healthz`;
  const created = await tend.api('POST', '/api/landing-pages', {
    slug: 'trial', name: 'Free trial', goal: { kind: 'cta', withinDays: 7 }, confidence: 0.99, minSample: 50,
    variants: [
      { key: 'plain', name: 'Plain', weight: 1, blocks: [{ type: 'heading', text: 'Try Tend', level: 1 }, { type: 'cta', label: 'Start the trial', url: target }] },
      { key: 'bold', name: 'Bold', weight: 1, blocks: [{ type: 'heading', text: 'Try Tend free for 30 days', level: 1 }, { type: 'text', text: 'No card needed.' }, { type: 'cta', label: 'Start my free trial', url: target }] },
    ],
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  await tend.api('POST', `/api/landing-pages/${id}/publish`);

  // A stranger's browser clicks the button: Tend records the click and sends them on to its address.
  const context = await s.browser.newContext();
  const visitor = await context.newPage();
  await visitor.goto(`${tend.url}/p/trial`);
  const shown = (await visitor.locator('main').getAttribute('data-tend-variant'))!;
  await visitor.getByRole('link', { name: shown === 'plain' ? 'Start the trial' : 'Start my free trial' }).click();
  await visitor.waitForURL(target);
  expect(await visitor.textContent('body')).toContain('"ok":true');
  const vid = (await context.cookies(tend.url)).find((c) => c.name === 'tend_vid')!.value;
  await context.close();
  expect(await tend.sql("SELECT e.properties->>'variant' AS variant FROM events e JOIN contact_identities i ON i.contact_id = e.contact_id WHERE i.kind = 'anonymous' AND i.value = $1 AND e.type = 'landing_page_cta_clicked'", [vid])).toEqual([{ variant: shown }]);

  // The results card counts the click as the conversion; the goal reads as a button click.
  await page.goto(`${tend.url}/landing-pages/${id}`);
  await page.getByTestId('landing-visitors').filter({ hasText: '1' }).waitFor();
  // A preview of the second variant: the page in a sandboxed frame, and nothing recorded.
  const events = (await tend.sql('SELECT count(*)::int AS n FROM events'))[0].n;
  await page.getByRole('button', { name: 'Preview variant 2' }).click();
  const frame = page.frameLocator('[data-testid="landing-preview-frame"]');
  await frame.getByRole('heading', { name: 'Try Tend free for 30 days' }).waitFor();
  await frame.getByText('nothing is recorded').waitFor();
  expect(await frame.getByRole('link', { name: 'Start my free trial' }).getAttribute('href')).toBe(target);
  await page.screenshot({ path: path.join(artifacts, 'landing-page-preview.png') });
  await page.getByRole('button', { name: 'Close' }).click();
  expect((await tend.sql('SELECT count(*)::int AS n FROM events'))[0].n).toBe(events);
  expect(await page.getByTestId('landing-conversions').textContent()).toContain('button clicked');
  expect(await page.getByTestId('landing-conversions').locator('.card-value').textContent()).toBe('1');
  expect(await page.getByLabel('Goal', { exact: true }).inputValue()).toBe('cta');

  // Stopped by hand: the other variant is chosen, after a confirmation.
  const other = shown === 'plain' ? 'Bold' : 'Plain';
  await page.getByRole('group', { name: 'Stop the test' }).getByRole('button', { name: `Choose ${other}` }).click();
  await page.getByRole('button', { name: `Show “${other}” to everyone` }).click();
  await page.getByTestId('landing-winner').waitFor();
  expect(await page.getByTestId('landing-winner').textContent()).toContain(`Winner: ${other}`);
  expect(await page.getByTestId('landing-decided-by').textContent()).toBe('TEND_API_KEY');
  expect(await page.getByRole('group', { name: 'Stop the test' }).count()).toBe(0);
  await page.screenshot({ path: path.join(artifacts, 'landing-page-chosen.png'), fullPage: true });
  const [row] = await tend.sql('SELECT winner, decided_at, decided_by FROM landing_pages WHERE id = $1', [id]);
  expect(row).toMatchObject({ winner: other.toLowerCase(), decided_at: expect.any(Date), decided_by: { kind: 'key', name: 'TEND_API_KEY' } });

  // Every browser sees the choice now, the one that was shown the other variant too.
  const again = await fetch(`${tend.url}/p/trial`, { headers: { cookie: `tend_vid=${vid}` } });
  expect(/data-tend-variant="([^"]+)"/.exec(await again.text())![1]).toBe(other.toLowerCase());
  expect(s.errors.slice(errorsBefore)).toEqual([]);
});

test('one button as the goal, chosen by its label; a preview at the page\'s own address; a stranger accepts the consent bar by keyboard and only then is counted', async () => {
  const { page } = s;
  const errorsBefore = s.errors.length;
  const target = `${tend.url}/healthz`;
  const buttons = [{ type: 'cta', label: 'Read the docs', url: `${target}?docs` }, { type: 'cta', label: 'Start a trial', url: target }];
  const created = await tend.api('POST', '/api/landing-pages', {
    slug: 'ask-first', name: 'Ask first', goal: { kind: 'cta', withinDays: 7 },
    variants: [
      { key: 'calm', name: 'Calm', weight: 1, blocks: [{ type: 'heading', text: 'Tend, calmly', level: 1 }, ...buttons] },
      { key: 'loud', name: 'Loud', weight: 1, blocks: [{ type: 'heading', text: 'TEND!', level: 1 }, ...[...buttons].reverse()] },
    ],
  });
  const id = created.body.id as string;

  // In the editor: ask before the cookie, and count "Start a trial" only.
  await page.goto(`${tend.url}/landing-pages/${id}`);
  await page.getByTestId('landing-require-consent').check();
  const goalButton = page.getByLabel('Goal button');
  await expect.poll(() => goalButton.locator('option').allTextContents()).toEqual(['Any button', 'Read the docs', 'Start a trial']);
  await goalButton.selectOption({ label: 'Start a trial' });
  await page.getByTestId('save-landing-page').click();
  await page.getByText('Saved “Ask first”').waitFor();
  const saved = (await tend.api('GET', `/api/landing-pages/${id}`)).body;
  expect(saved).toMatchObject({ requireConsent: true, goal: { kind: 'cta', ctaId: 'start-a-trial', withinDays: 7 }, status: 'draft' });
  expect(saved.variants[1].blocks.map((b: any) => b.id ?? null)).toEqual([null, 'start-a-trial', 'read-the-docs']);

  // Preview: the draft at /p/ask-first, under its bar, recording nothing and keeping nothing.
  const events = (await tend.sql('SELECT count(*)::int AS n FROM events'))[0].n;
  const [preview] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('landing-preview-link').click()]);
  await preview.waitForURL(/\/p\/ask-first\?preview=/);
  await preview.getByText('Preview — not published.').waitFor();
  await preview.getByRole('heading', { name: 'Tend, calmly' }).waitFor();
  expect(await preview.locator('.consent').count()).toBe(0);
  await preview.screenshot({ path: path.join(artifacts, 'landing-page-preview-link.png') });
  await preview.close();
  expect((await page.context().cookies(tend.url)).map((c) => c.name)).not.toContain('tend_vid');
  expect((await tend.sql('SELECT count(*)::int AS n FROM events'))[0].n).toBe(events);
  await page.getByTestId('publish-landing-page').click();
  await page.getByTestId('landing-status').filter({ hasText: 'published' }).waitFor();

  // A stranger: the bar first, no cookie; the first Tab reaches Accept, Enter accepts.
  const context = await s.browser.newContext({ viewport: { width: 900, height: 700 } });
  const visitor = await context.newPage();
  await visitor.goto(`${tend.url}/p/ask-first`);
  const bar = visitor.locator('form.consent');
  await bar.getByText('May we set a cookie').waitFor();
  const seen = (await visitor.locator('main').getAttribute('data-tend-variant'))!;
  expect(await context.cookies(tend.url)).toEqual([]);
  await visitor.screenshot({ path: path.join(artifacts, 'landing-page-consent.png') });
  await visitor.keyboard.press('Tab');
  expect(await visitor.evaluate(() => document.activeElement?.textContent)).toBe('Accept');
  await visitor.keyboard.press('Enter');
  await visitor.waitForLoadState();
  await visitor.getByRole('link', { name: 'Start a trial' }).waitFor();
  expect(await bar.count()).toBe(0);
  expect(await visitor.locator('main').getAttribute('data-tend-variant')).toBe(seen);
  const cookies = Object.fromEntries((await context.cookies(tend.url)).map((c) => [c.name, c]));
  expect(cookies.tend_consent).toMatchObject({ value: 'yes', httpOnly: true, sameSite: 'Lax' });
  const vid = cookies.tend_vid!.value;
  const viewsOf = async (v: string) => tend.sql("SELECT e.type, e.properties->>'variant' AS variant FROM events e JOIN contact_identities i ON i.contact_id = e.contact_id WHERE i.kind = 'anonymous' AND i.value = $1 ORDER BY e.occurred_at", [v]);
  expect(await viewsOf(vid)).toEqual([{ type: 'landing_page_viewed', variant: seen }]);
  // Back again: the same variant, no bar. They read the docs, then start a trial.
  await visitor.goto(`${tend.url}/p/ask-first`);
  expect(await visitor.locator('main').getAttribute('data-tend-variant')).toBe(seen);
  await visitor.getByRole('link', { name: 'Read the docs' }).click();
  await visitor.waitForURL(`${target}?docs`);
  await visitor.goBack();
  await visitor.getByRole('link', { name: 'Start a trial' }).click();
  await visitor.waitForURL(target);
  await context.close();

  // Another who accepts reads the docs only: a visitor, not a conversion. One who declines is not counted at all.
  const other = await fetch(`${tend.url}/p/ask-first`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' }, body: 'consent=accept&variant=loud' });
  const otherVid = /tend_vid=([^;]+)/.exec(other.headers.get('set-cookie') ?? '')![1]!;
  expect((await fetch(`${tend.url}/p/ask-first/cta?variant=loud&block=2`, { redirect: 'manual', headers: { cookie: `tend_vid=${otherVid}; tend_consent=yes` } })).status).toBe(302);
  expect((await fetch(`${tend.url}/p/ask-first`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' }, body: 'consent=decline&variant=calm' })).status).toBe(200);

  await page.reload();
  await page.getByTestId('landing-visitors').filter({ hasText: '2' }).waitFor();
  expect(await page.getByTestId('landing-conversions').locator('.card-value').textContent()).toBe('1');
  expect(await page.getByTestId('landing-conversions').textContent()).toContain('button “Start a trial” clicked');
  expect(await page.getByTestId('landing-consent-note').textContent()).toBe('Only visitors who accepted the cookie are counted: those who declined or did not answer saw the page, but nothing of their visit was recorded.');
  expect(await page.getByLabel('Goal button').locator('option:checked').textContent()).toBe('Start a trial');
  await page.screenshot({ path: path.join(artifacts, 'landing-page-one-button.png'), fullPage: true });
  expect(s.errors.slice(errorsBefore)).toEqual([]);
});
