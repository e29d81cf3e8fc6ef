// Landing pages with A/B tests, against a real server and database: a two-variant page
// is created and published, then visited by many browsers (each its own cookie and
// address). Each browser keeps its variant; a form submitted on the page is a
// conversion; once one variant clearly converts better and each has its minimum sample,
// the two-proportion z-test decides, and every visitor sees the winner from then on.
// Hostile input is escaped or refused with 422 naming the field, never a 500. A page's
// button leads through /p/:slug/cta, which records the click (a goal a test can be
// decided on) and redirects only to the button's own address; a test can be stopped
// by hand, its winner chosen by a person who is recorded.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { createLandingPageServer } from '../../engine/delivery/landing-page-serving.js';

let tend: Tend;
let formId: string;

const FORM = {
  name: 'Webinar sign-up',
  fields: [
    { name: 'email', label: 'Email', type: 'email', required: true },
    { name: 'company', label: 'Company', type: 'text' },
    { name: 'consent', label: 'Send me the recording', type: 'checkbox', required: true },
  ],
  thankYou: 'See you there!',
};

const page = (over: Record<string, unknown> = {}) => ({
  slug: 'spring-webinar',
  name: 'Spring webinar',
  variants: [
    { key: 'plain', name: 'Plain', weight: 1, blocks: [{ type: 'heading', text: 'Spring webinar', level: 1 }, { type: 'text', text: 'Forty minutes.' }, { type: 'form', formId }] },
    {
      key: 'story', name: 'Story', weight: 1,
      blocks: [
        { type: 'heading', text: 'How Acme doubled its demos <script>window.pwned=1</script>', level: 1 },
        { type: 'text', text: 'First line\nsecond line <img src=x onerror="window.pwned=1">\n\nA new paragraph & more' },
        { type: 'image', url: 'https://www.example.com/chart.png', alt: 'Demos "per" week' },
        { type: 'form', formId },
        { type: 'cta', label: 'Read the story', url: 'https://www.example.com/story?a=1&b=2' },
      ],
    },
  ],
  goal: { kind: 'form', withinDays: 7 },
  confidence: 0.95,
  minSample: 10,
  ...over,
});

interface Visit { status: number; html: string; vid: string; variant?: string; headers: Headers }

let address = 0;
/** A browser: a cookie jar of one visitor id, and its own client address (rate limits are per address). */
async function visit(slug: string, vid?: string, method = 'GET'): Promise<Visit> {
  const res = await fetch(`${tend.url}/p/${slug}`, { method, headers: { 'x-forwarded-for': `10.1.${Math.floor(++address / 250)}.${address % 250}`, ...(vid ? { cookie: `other=1; tend_vid=${vid}` } : {}) } });
  const html = await res.text();
  const set = /tend_vid=([A-Za-z0-9_-]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  return { status: res.status, html, vid: vid ?? set ?? '', variant: /data-tend-variant="([^"]+)"/.exec(html)?.[1], headers: res.headers };
}

/** Submits the page's form as the browser would: its hidden fields, plus the answers. */
async function submit(v: Visit, answers: Record<string, string>): Promise<Response> {
  const action = /<form method="post" action="([^"]+)"/.exec(v.html)![1]!;
  const hidden = Object.fromEntries([...v.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]));
  return fetch(tend.url + action, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...hidden, ...answers }) });
}

const results = async (id: string) => (await tend.api('GET', `/api/landing-pages/${id}/results`)).body;
const viewsOf = async (id: string) => tend.sql<{ variant: string; split: boolean; contact_id: string }>("SELECT properties->>'variant' AS variant, (properties->>'split')::boolean AS split, contact_id FROM events WHERE type = 'landing_page_viewed' AND properties->>'pageId' = $1", [id]);

beforeAll(async () => {
  tend = await startTend({ worker: false });
  const form = await tend.api('POST', '/api/forms', FORM);
  expect(form.status).toBe(201);
  formId = form.body.id;
});
afterAll(async () => {
  await tend?.stop();
});

test('a page is served only once published; each browser keeps its variant; a submitted form converts; the winner is decided and then everyone sees it', async () => {
  const created = await tend.api('POST', '/api/landing-pages', page());
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect(created.body).toMatchObject({ status: 'draft', winner: null, confidence: 0.95, minSample: 10, goal: { kind: 'form', withinDays: 7 } });
  expect((await visit('spring-webinar')).status).toBe(404);
  expect((await tend.api('POST', `/api/landing-pages/${id}/publish`)).body).toMatchObject({ status: 'published', publishedAt: expect.any(String) });

  // Sixty browsers, each its first visit.
  const browsers: Visit[] = [];
  for (let i = 0; i < 60; i++) browsers.push(await visit('spring-webinar'));
  expect(browsers.every((b) => b.status === 200 && b.vid && b.variant)).toBe(true);
  expect(new Set(browsers.map((b) => b.vid)).size).toBe(60);
  const byVariant = (key: string) => browsers.filter((b) => b.variant === key);
  // An even split by hash: both variants get a fair share (the chance of fewer than 15 of 60 is below 0.01%).
  expect(byVariant('plain').length).toBeGreaterThanOrEqual(15);
  expect(byVariant('story').length).toBeGreaterThanOrEqual(15);
  expect(browsers[0]!.headers.get('cache-control')).toBe('private, no-store');
  expect(browsers[0]!.headers.get('set-cookie')).toMatch(/tend_vid=[^;]+; Max-Age=63072000; Path=\/; .*SameSite=Lax/);

  // Sticky: the same browser sees the same variant again, and gets no new cookie.
  for (const b of browsers.slice(0, 10)) {
    const again = await visit('spring-webinar', b.vid);
    expect(again.variant).toBe(b.variant);
    expect(again.headers.get('set-cookie')).toBeNull();
  }
  // A HEAD is no view.
  expect((await visit('spring-webinar', browsers[0]!.vid, 'HEAD')).status).toBe(200);
  expect(await viewsOf(id)).toHaveLength(70);

  // Not decided on too few visitors, whatever the rates.
  const early = await results(id);
  expect(early.decision).toBeNull();
  expect(early.test).toMatchObject({ method: 'two-proportion z-test', winner: null, pValue: 1 });

  // Everyone shown the story signs up; of the plain page, one person.
  const story = byVariant('story');
  const plain = byVariant('plain');
  for (const [i, b] of [...story, plain[0]!].entries()) {
    const res = await submit(b, { email: `visitor${i}@example.com`, consent: 'true' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('See you there!');
  }
  // A submission missing the consent box is refused by the form's own rules: no conversion.
  const refused = await submit(plain[1]!, { email: 'no-consent@example.com' });
  expect(refused.status).toBe(422);

  const decided = await results(id);
  expect(decided.variants).toEqual([
    { variant: 'plain', name: 'Plain', viewers: plain.length, converted: 1, rate: 1 / plain.length },
    { variant: 'story', name: 'Story', viewers: story.length, converted: story.length, rate: 1 },
  ]);
  expect(decided.decision).toMatchObject({ winner: 'story', method: 'two-proportion z-test', decidedAt: expect.any(String) });
  expect(decided.decision.pValue).toBeLessThan(0.05);
  expect(decided.decision.summary).toMatch(/^two-proportion z-test, p [<=] /);
  expect((await tend.api('GET', `/api/landing-pages/${id}`)).body).toMatchObject({ winner: 'story', decidedAt: expect.any(String) });

  // From now on: everyone sees the winner, those who saw the other variant too; these views measure nothing.
  const after = [...await Promise.all(plain.slice(0, 5).map((b) => visit('spring-webinar', b.vid))), ...await Promise.all(Array.from({ length: 10 }, () => visit('spring-webinar')))];
  expect(after.map((v) => v.variant)).toEqual(Array(15).fill('story'));
  const views = await viewsOf(id);
  expect(views.filter((v) => !v.split)).toHaveLength(15);
  expect((await results(id)).variants.map((v: any) => v.viewers)).toEqual([plain.length, story.length]);

  // The view and the submission are on the contact's timeline (the browser's views merged into them).
  const [contact] = await tend.sql<{ id: string }>("SELECT id FROM contacts WHERE email = 'visitor0@example.com'");
  const timeline = (await tend.api('GET', `/api/contacts/${contact!.id}/timeline`)).body.entries.filter((e: any) => e.kind === 'event');
  expect(timeline.map((e: any) => e.type)).toEqual(expect.arrayContaining(['landing_page_viewed', 'form_submitted']));
  expect(timeline.find((e: any) => e.type === 'landing_page_viewed').properties).toEqual({ pageId: id, slug: 'spring-webinar', variant: 'story', split: true });
  expect(timeline.find((e: any) => e.type === 'form_submitted').properties).toMatchObject({ formId, page: '/p/spring-webinar' });
});

test('what a marketer types is escaped; the page runs no script and names its policy; unknown slugs are a 404 page', async () => {
  const created = await tend.api('POST', '/api/landing-pages', page({ slug: 'hostile', variants: [page().variants[1]] }));
  expect(created.status).toBe(201);
  await tend.api('POST', `/api/landing-pages/${created.body.id}/publish`);
  const v = await visit('hostile');
  expect(v.status).toBe(200);
  expect(v.html).toContain('<h1>How Acme doubled its demos &lt;script&gt;window.pwned=1&lt;/script&gt;</h1>');
  expect(v.html).toContain('<p>First line<br>second line &lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;</p><p>A new paragraph &amp; more</p>');
  expect(v.html).toContain('<img src="https://www.example.com/chart.png" alt="Demos &quot;per&quot; week" loading="lazy">');
  // The button leads through Tend, which records the click and goes on to the stored address.
  expect(v.html).toContain('<a class="cta" href="/p/hostile/cta?variant=story&amp;block=4">Read the story</a>');
  // As text only: no element or attribute came of it.
  expect(v.html).not.toMatch(/<script|<img src=x|onerror="|javascript:/i);
  // The form: progressive profiling's fields, the visitor id, the honeypot, posting to the form's own path.
  expect(v.html).toContain(`action="/f/${formId}/submit"`);
  expect(v.html).toContain(`<input type="hidden" name="_vid" value="${v.vid}">`);
  expect(v.html).toContain('name="_comment" tabindex="-1"');
  const csp = v.headers.get('content-security-policy')!;
  expect(csp).toContain("default-src 'none'");
  expect(csp).not.toContain('script-src');
  expect(v.headers.get('x-frame-options')).toBe('DENY');

  // The honeypot filled: thanked, nothing stored.
  const before = (await tend.sql("SELECT count(*)::int AS n FROM events WHERE type = 'form_submitted'"))[0].n;
  const bot = await submit(v, { email: 'bot@example.com', consent: 'true', _comment: 'buy now' });
  expect(bot.status).toBe(200);
  expect((await tend.sql("SELECT count(*)::int AS n FROM events WHERE type = 'form_submitted'"))[0].n).toBe(before);

  for (const slug of ['no-such-page', 'UPPER', '%3Cscript%3E', 'a'.repeat(80)]) {
    const missing = await visit(slug);
    expect(missing.status, slug).toBe(404);
    expect(missing.html).toContain('This page does not exist');
  }
  // Archived: gone from /p, the slug free again, the page still readable with its results.
  expect((await tend.api('POST', `/api/landing-pages/${created.body.id}/archive`)).body.status).toBe('archived');
  expect((await visit('hostile')).status).toBe(404);
  expect((await tend.api('PUT', `/api/landing-pages/${created.body.id}`, page({ slug: 'hostile' }))).status).toBe(409);
  expect((await tend.api('POST', `/api/landing-pages/${created.body.id}/publish`)).status).toBe(409);
  expect((await tend.api('GET', `/api/landing-pages/${created.body.id}/results`)).status).toBe(200);
  expect((await tend.api('POST', '/api/landing-pages', page({ slug: 'hostile' }))).status).toBe(201);
  expect((await tend.api('POST', '/api/landing-pages', page({ slug: 'hostile' }))).body.errors).toEqual([{ path: '/slug', message: 'another landing page is at /p/hostile' }]);
});

test('bad input is refused with 422 naming the field, huge bodies with 413, and nothing is stored', async () => {
  const count = async () => (await tend.sql('SELECT count(*)::int AS n FROM landing_pages'))[0].n;
  const before = await count();
  const refuse = async (body: unknown) => {
    const res = await tend.api('POST', '/api/landing-pages', body);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    return res.body.errors;
  };
  const withBlocks = (...blocks: unknown[]) => page({ slug: 'bad', variants: [{ key: 'a', name: 'A', weight: 1, blocks }], goal: { kind: 'event', eventType: 'demo_booked', withinDays: 7 } });
  expect(await refuse(withBlocks({ type: 'cta', label: 'Click', url: 'javascript:alert(document.cookie)' }))).toEqual([{ path: '/variants/0/blocks/0/url', message: 'must be an http:// or https:// address' }]);
  expect(await refuse(withBlocks({ type: 'image', url: 'data:image/svg+xml,<svg onload=alert(1)>', alt: '' }))).toEqual([{ path: '/variants/0/blocks/0/url', message: 'must be an http:// or https:// address' }]);
  expect(await refuse(withBlocks({ type: 'heading', text: 'ok' }, { type: 'video', url: 'https://x.example' }))).toEqual([{ path: '/variants/0/blocks/1/type', message: 'must be one of: heading, text, image, form, cta' }]);
  expect(await refuse(withBlocks({ type: 'text', text: 'x'.repeat(5001) }))).toEqual([{ path: '/variants/0/blocks/0/text', message: 'must NOT have more than 5000 characters' }]);
  expect(await refuse(withBlocks({ type: 'heading', text: 'Hi', onclick: 'x()' }))).toEqual([{ path: '/variants/0/blocks/0/onclick', message: 'is not a known field' }]);
  expect(await refuse(withBlocks({ type: 'form', formId: '00000000-0000-4000-8000-000000000000' }))).toEqual([{ path: '/variants/0/blocks/0/formId', message: 'no form has id 00000000-0000-4000-8000-000000000000' }]);
  expect(await refuse(page({ slug: 'Not A Slug' }))).toEqual([expect.objectContaining({ path: '/slug' })]);
  expect(await refuse(page({ slug: 'dup', variants: [page().variants[0], page().variants[0]] }))).toEqual([{ path: '/variants/1/key', message: '"plain" is used by an earlier variant' }]);
  expect(await refuse(page({ slug: 'no-form', variants: [{ key: 'a', name: 'A', weight: 1, blocks: [{ type: 'heading', text: 'Hi' }] }] }))).toEqual([{ path: '/goal/kind', message: 'no variant has a form block: add one, or count an event instead' }]);
  expect(await refuse(page({ slug: 'no-event', goal: { kind: 'event', withinDays: 7 } }))).toEqual([{ path: '/goal/eventType', message: 'name the event that counts as a conversion, e.g. demo_booked' }]);
  expect(await refuse(page({ slug: 'sure', confidence: 1 }))).toEqual([expect.objectContaining({ path: '/confidence' })]);
  expect(await refuse(page({ slug: 'zero', variants: [{ ...page().variants[0], weight: 0 }] }))).toEqual([expect.objectContaining({ path: '/variants/0/weight' })]);

  const huge = await tend.api('POST', '/api/landing-pages', withBlocks({ type: 'text', text: 'x'.repeat(2_000_000) }));
  expect(huge.status).toBe(413);
  const many = await tend.api('POST', '/api/landing-pages', withBlocks(...Array.from({ length: 31 }, () => ({ type: 'heading', text: 'x' }))));
  expect(many.status).toBe(422);
  expect(many.body.errors).toEqual([expect.objectContaining({ path: '/variants/0/blocks' })]);
  expect((await tend.api('POST', '/api/landing-pages', '{"slug": ')).status).toBe(400);
  expect((await tend.api('GET', '/api/landing-pages/not-an-id')).status).toBe(404);
  expect((await tend.api('POST', '/api/landing-pages/00000000-0000-4000-8000-000000000000/publish')).status).toBe(404);
  expect(await count()).toBe(before);
});

test('an event goal counts the named event of the visitor within its window', async () => {
  const created = await tend.api('POST', '/api/landing-pages', page({
    slug: 'demo', goal: { kind: 'event', eventType: 'demo_booked', withinDays: 3 },
    variants: [{ key: 'a', name: 'A', weight: 1, blocks: [{ type: 'cta', label: 'Book a demo', url: 'https://www.example.com/demo' }] }, { key: 'b', name: 'B', weight: 3, blocks: [{ type: 'heading', text: 'Demo' }] }],
  }));
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  await tend.api('POST', `/api/landing-pages/${id}/publish`);
  const v = await visit('demo');
  const [visitor] = await tend.sql<{ contact_id: string }>("SELECT contact_id FROM contact_identities WHERE kind = 'anonymous' AND value = $1", [v.vid]);
  // One demo booked within the window, and one by the same contact booked before the view (does not count).
  await tend.event({ type: 'demo_booked', contactId: visitor!.contact_id, occurredAt: new Date(Date.now() - 3_600_000).toISOString() });
  const before = await results(id);
  expect(before.variants.find((x: any) => x.variant === v.variant)).toMatchObject({ viewers: 1, converted: 0 });
  await tend.event({ type: 'demo_booked', contactId: visitor!.contact_id });
  const after = await results(id);
  expect(after.variants.find((x: any) => x.variant === v.variant)).toMatchObject({ viewers: 1, converted: 1, rate: 1 });
  expect(after.decision).toBeNull();
  expect(after.test.reason).toMatch(/each variant needs 10 visitors/);
});

test('page views decide by themselves, with nobody reading the results', async () => {
  const created = await tend.api('POST', '/api/landing-pages', page({
    slug: 'by-itself', goal: { kind: 'event', eventType: 'trial_started', withinDays: 1 },
    variants: [{ key: 'a', name: 'A', weight: 1, blocks: [{ type: 'heading', text: 'A' }] }, { key: 'b', name: 'B', weight: 1, blocks: [{ type: 'heading', text: 'B' }] }],
  }));
  const id = created.body.id as string;
  await tend.api('POST', `/api/landing-pages/${id}/publish`);
  // The server's own serving, with the decision checked on every view rather than every 10 s.
  const pages = createLandingPageServer(tend.services.db, { decideEveryMs: 0 });
  const seen: { vid: string; variant: string }[] = [];
  for (let i = 0; i < 50; i++) seen.push({ vid: `visitor-by-itself-${i}`, variant: (await pages.serve('by-itself', { id: `visitor-by-itself-${i}`, consent: undefined }, { count: true }))!.variant });
  for (const v of seen.filter((x) => x.variant === 'b')) {
    const [c] = await tend.sql<{ contact_id: string }>("SELECT contact_id FROM contact_identities WHERE kind = 'anonymous' AND value = $1", [v.vid]);
    await tend.event({ type: 'trial_started', contactId: c!.contact_id });
  }
  await pages.serve('by-itself', { id: 'one-more-visitor', consent: undefined }, { count: true });
  const decided = await tend.until(async () => {
    const [row] = await tend.sql('SELECT winner, decision FROM landing_pages WHERE id = $1', [id]);
    return row.winner && row;
  }, 'the decision');
  expect(decided.winner).toBe('b');
  expect(decided.decision).toMatchObject({ method: 'two-proportion z-test', winner: 'b' });
  expect((await pages.serve('by-itself', { id: 'visitor-by-itself-0', consent: undefined }, { count: true }))!.variant).toBe('b');
});

/** A click on a button of the page as the browser follows it: the link's href, with the browser's cookie. */
async function click(href: string, vid?: string, method = 'GET'): Promise<Response> {
  return fetch(tend.url + href.replace(/&amp;/g, '&'), { method, redirect: 'manual', headers: { 'x-forwarded-for': `10.2.${Math.floor(++address / 250)}.${address % 250}`, ...(vid ? { cookie: `tend_vid=${vid}` } : {}) } });
}
const clicksOf = async (id: string) => tend.sql<{ variant: string; block: number; url: string; split: boolean; contact_id: string }>(
  "SELECT properties->>'variant' AS variant, (properties->>'block')::int AS block, properties->>'url' AS url, (properties->>'split')::boolean AS split, contact_id FROM events WHERE type = 'landing_page_cta_clicked' AND properties->>'pageId' = $1", [id]);

test('a click on the button is recorded for the visitor and redirects only to the button\'s address; a CTA goal decides the test by clicks', async () => {
  const ctaPage = page({
    slug: 'cta-goal', goal: { kind: 'cta', withinDays: 7 },
    variants: [
      { key: 'quiet', name: 'Quiet', weight: 1, blocks: [{ type: 'heading', text: 'Quiet' }, { type: 'cta', label: 'Maybe later', url: 'https://www.example.com/quiet' }] },
      { key: 'loud', name: 'Loud', weight: 1, blocks: [{ type: 'heading', text: 'Loud' }, { type: 'text', text: 'Now.' }, { type: 'cta', label: 'Start free', url: 'https://www.example.com/start?plan=pro&src=lp' }] },
    ],
  });
  // A CTA goal needs a button on the page, and names no event.
  expect((await tend.api('POST', '/api/landing-pages', { ...ctaPage, variants: [{ key: 'a', name: 'A', weight: 1, blocks: [{ type: 'heading', text: 'Hi' }] }] })).body.errors)
    .toEqual([{ path: '/goal/kind', message: 'no variant has a button block: add one, or count an event instead' }]);
  expect((await tend.api('POST', '/api/landing-pages', { ...ctaPage, goal: { kind: 'cta', eventType: 'x', withinDays: 7 } })).body.errors)
    .toEqual([{ path: '/goal/eventType', message: 'only an event goal names an event type' }]);
  const created = await tend.api('POST', '/api/landing-pages', ctaPage);
  expect(created.status).toBe(201);
  expect(created.body.goal).toEqual({ kind: 'cta', withinDays: 7 });
  const id = created.body.id as string;
  // A draft's buttons lead nowhere yet.
  expect((await click('/p/cta-goal/cta?variant=loud&block=2')).status).toBe(404);
  await tend.api('POST', `/api/landing-pages/${id}/publish`);

  const browsers: Visit[] = [];
  for (let i = 0; i < 40; i++) browsers.push(await visit('cta-goal'));
  const href = (v: Visit) => /<a class="cta" href="([^"]+)"/.exec(v.html)![1]!;
  const loud = browsers.filter((b) => b.variant === 'loud');
  const quiet = browsers.filter((b) => b.variant === 'quiet');
  expect(loud.length).toBeGreaterThanOrEqual(10);
  expect(quiet.length).toBeGreaterThanOrEqual(10);
  expect(href(loud[0]!)).toBe('/p/cta-goal/cta?variant=loud&amp;block=2');
  expect(href(quiet[0]!)).toBe('/p/cta-goal/cta?variant=quiet&amp;block=1');
  expect(loud[0]!.html).not.toContain('example.com/start');

  // Everyone shown the loud page clicks; one of the quiet page's.
  for (const b of [...loud, quiet[0]!]) {
    const res = await click(href(b), b.vid);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(b.variant === 'loud' ? 'https://www.example.com/start?plan=pro&src=lp' : 'https://www.example.com/quiet');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('set-cookie')).toBeNull();
  }
  const clicks = await clicksOf(id);
  expect(clicks).toHaveLength(loud.length + 1);
  expect(clicks.find((c) => c.variant === 'quiet')).toMatchObject({ block: 1, url: 'https://www.example.com/quiet', split: true });
  // The click is the visitor's: the same contact as their view.
  const [viewer] = await tend.sql<{ contact_id: string }>("SELECT contact_id FROM contact_identities WHERE kind = 'anonymous' AND value = $1", [quiet[0]!.vid]);
  expect(clicks.find((c) => c.variant === 'quiet')!.contact_id).toBe(viewer!.contact_id);

  const decided = await results(id);
  expect(decided.variants).toEqual([
    { variant: 'quiet', name: 'Quiet', viewers: quiet.length, converted: 1, rate: 1 / quiet.length },
    { variant: 'loud', name: 'Loud', viewers: loud.length, converted: loud.length, rate: 1 },
  ]);
  expect(decided.decision).toMatchObject({ winner: 'loud', method: 'two-proportion z-test' });
  expect((await tend.sql('SELECT winner, decided_by FROM landing_pages WHERE id = $1', [id]))[0]).toEqual({ winner: 'loud', decided_by: null });

  // A browser without a cookie that clicks gets one, and its click is recorded.
  const fresh = await click('/p/cta-goal/cta?variant=loud&block=2');
  expect(fresh.status).toBe(302);
  const freshVid = /tend_vid=([A-Za-z0-9_-]+)/.exec(fresh.headers.get('set-cookie') ?? '')![1]!;
  expect(await tend.sql("SELECT (properties->>'split')::boolean AS split FROM events e JOIN contact_identities i ON i.contact_id = e.contact_id WHERE i.kind = 'anonymous' AND i.value = $1 AND e.type = 'landing_page_cta_clicked'", [freshVid])).toEqual([{ split: false }]);
  // A HEAD (a link checker) learns where it leads, and records nothing.
  const before = (await clicksOf(id)).length;
  expect((await click('/p/cta-goal/cta?variant=loud&block=2', loud[0]!.vid, 'HEAD')).status).toBe(302);

  // Hostile links: no address is taken from the request; each refusal names its field; nothing is recorded.
  const refused = async (path: string, status: number, field: string) => {
    const res = await click(path, loud[0]!.vid);
    expect(res.status, path).toBe(status);
    expect(res.headers.get('location'), path).toBeNull();
    expect(res.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
    expect((await res.json()).errors.map((e: { path: string }) => e.path), path).toEqual([field]);
  };
  const extra = await click('/p/cta-goal/cta?variant=loud&block=2&url=https://evil.example&to=https://evil.example', loud[0]!.vid);
  expect(extra.headers.get('location')).toBe('https://www.example.com/start?plan=pro&src=lp');
  await refused('/p/cta-goal/cta?variant=loud&block=0', 404, '/query/block');
  await refused('/p/cta-goal/cta?variant=loud&block=29', 404, '/query/block');
  await refused('/p/cta-goal/cta?variant=nope&block=2', 404, '/query/variant');
  await refused('/p/cta-goal/cta?variant=loud&block=-1', 400, '/query/block');
  await refused('/p/cta-goal/cta?variant=loud&block=1e9', 400, '/query/block');
  await refused('/p/cta-goal/cta?variant=loud', 400, '/query/block');
  await refused('/p/cta-goal/cta?variant=%3Cscript%3E&block=2', 400, '/query/variant');
  await refused('/p/cta-goal/cta?variant=loud&variant=quiet&block=2', 400, '/query/variant');
  await refused('/p/no-such-page/cta?variant=loud&block=2', 404, '/path/slug');
  await refused('/p/UPPER/cta?variant=loud&block=2', 404, '/path/slug');
  expect(await clicksOf(id)).toHaveLength(before + 1);

  // A javascript: address written into the row by hand is neither rendered nor followed.
  await tend.sql("UPDATE landing_pages SET definition = jsonb_set(definition, '{variants,1,blocks,2,url}', '\"javascript:alert(1)\"') WHERE id = $1", [id]);
  await refused('/p/cta-goal/cta?variant=loud&block=2', 404, '/query/block');
  expect((await visit('cta-goal', loud[0]!.vid)).html).not.toMatch(/class="cta"|javascript:/);
});

test('a test stopped by hand: the chosen variant for everyone, who chose it and when recorded; refused for bad input, a second choice, or a key that may only read', async () => {
  const created = await tend.api('POST', '/api/landing-pages', page({
    slug: 'by-hand', goal: { kind: 'event', eventType: 'demo_booked', withinDays: 7 }, minSample: 100,
    variants: [{ key: 'a', name: 'A', weight: 1, blocks: [{ type: 'heading', text: 'A' }] }, { key: 'b', name: 'B', weight: 1, blocks: [{ type: 'heading', text: 'B' }] }],
  }));
  const id = created.body.id as string;
  await tend.api('POST', `/api/landing-pages/${id}/publish`);
  const browsers: Visit[] = [];
  for (let i = 0; i < 20; i++) browsers.push(await visit('by-hand'));
  expect(new Set(browsers.map((b) => b.variant))).toEqual(new Set(['a', 'b']));

  const choose = (body: unknown, pageId = id) => tend.api('POST', `/api/landing-pages/${pageId}/winner`, body);
  expect((await choose({ variant: 'c' })).body.errors).toEqual([{ path: '/variant', message: 'the page has no variant c; it has a, b' }]);
  expect((await choose({ variant: 'c' })).status).toBe(422);
  expect((await choose({ variant: 'B!' })).status).toBe(422);
  expect((await choose({ variant: 'b', url: 'x' })).body.errors).toEqual([expect.objectContaining({ path: '/url' })]);
  expect((await choose({})).body.errors).toEqual([expect.objectContaining({ path: '/variant' })]);
  expect((await choose({ variant: 'b' }, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  // A key that may only read may not stop a test.
  const reader = (await tend.api('POST', '/api/keys', { name: 'reader', scope: 'read' })).body.key as string;
  const asReader = await fetch(`${tend.url}/api/landing-pages/${id}/winner`, { method: 'POST', headers: { authorization: `Bearer ${reader}`, 'content-type': 'application/json' }, body: JSON.stringify({ variant: 'b' }) });
  expect(asReader.status).toBe(403);
  expect((await tend.sql('SELECT winner FROM landing_pages WHERE id = $1', [id]))[0].winner).toBeNull();

  const chosen = await choose({ variant: 'b' });
  expect(chosen.status).toBe(200);
  expect(chosen.body).toMatchObject({ winner: 'b', decidedAt: expect.any(String), decidedBy: { kind: 'key', id: null, name: 'TEND_API_KEY' } });
  expect(chosen.body.decision).toMatchObject({ winner: 'b', method: 'two-proportion z-test', reason: expect.stringMatching(/^chosen by hand by TEND_API_KEY; the test then: each variant needs 100 visitors/) });
  const [row] = await tend.sql('SELECT winner, decided_at, decided_by FROM landing_pages WHERE id = $1', [id]);
  expect(row).toMatchObject({ winner: 'b', decided_at: expect.any(Date), decided_by: { kind: 'key', id: null, name: 'TEND_API_KEY' } });
  const audit = await tend.until(async () => (await tend.sql("SELECT actor_name, target_id, detail FROM audit_log WHERE action = 'POST /api/landing-pages/:id/winner'"))[0], 'the audit entry');
  expect(audit).toEqual({ actor_name: 'TEND_API_KEY', target_id: id, detail: { name: 'Spring webinar', winner: 'b' } });

  // Everyone sees it now, those split to the other variant too; the views measure nothing.
  const after = await Promise.all([...browsers.map((b) => visit('by-hand', b.vid)), visit('by-hand')]);
  expect(after.map((v) => v.variant)).toEqual(Array(21).fill('b'));
  expect((await viewsOf(id)).filter((v) => !v.split)).toHaveLength(21);
  expect((await results(id)).decision).toMatchObject({ winner: 'b', decidedAt: expect.any(String) });

  // A choice stands: neither a second choice nor the test changes it.
  const again = await choose({ variant: 'a' });
  expect(again.status).toBe(409);
  expect(again.body.errors).toEqual([{ path: '/variant', message: 'b won already; a decision stands (create a new page to test again)' }]);
  await tend.api('POST', `/api/landing-pages/${id}/archive`);
  const other = await tend.api('POST', '/api/landing-pages', page({ slug: 'by-hand-2' }));
  await tend.api('POST', `/api/landing-pages/${other.body.id}/archive`);
  expect((await choose({ variant: 'plain' }, other.body.id)).status).toBe(409);
});

test('an editor previews a draft\'s variants: no view recorded, no cookie, buttons straight to their address, no form to send', async () => {
  const created = await tend.api('POST', '/api/landing-pages', page({ slug: 'preview-me' }));
  const id = created.body.id as string;
  const events = async () => (await tend.sql('SELECT count(*)::int AS n FROM events'))[0].n;
  const before = await events();
  const first = await tend.api('GET', `/api/landing-pages/${id}/preview`);
  expect(first.status).toBe(200);
  expect(first.headers.get('set-cookie')).toBeNull();
  expect(first.headers.get('cache-control')).toBe('no-store');
  expect(first.body.variant).toBe('plain');
  expect(first.body.html).toContain('data-tend-variant="plain"');
  expect(first.body.html).toContain('Preview — not published.</strong> Variant plain: nothing is recorded');
  const story = (await tend.api('GET', `/api/landing-pages/${id}/preview?variant=story`)).body.html as string;
  // Escaped as on the page; the button straight to its address; the form shown but not sendable.
  expect(story).toContain('&lt;script&gt;window.pwned=1&lt;/script&gt;');
  expect(story).toContain('<a class="cta" href="https://www.example.com/story?a=1&amp;b=2">Read the story</a>');
  expect(story).toContain('<fieldset disabled');
  expect(story).not.toMatch(/action="|name="_vid"|<script/);
  expect(await events()).toBe(before);
  // Still a draft: not served at /p.
  expect((await visit('preview-me')).status).toBe(404);

  expect((await tend.api('GET', `/api/landing-pages/${id}/preview?variant=nope`)).body.errors).toEqual([{ path: '/query/variant', message: 'the page has no variant nope' }]);
  expect((await tend.api('GET', `/api/landing-pages/${id}/preview?variant=%3Cb%3E`)).status).toBe(400);
  expect((await tend.api('GET', '/api/landing-pages/00000000-0000-4000-8000-000000000000/preview')).status).toBe(404);
  // Only for those signed in (or holding a key).
  expect((await fetch(`${tend.url}/api/landing-pages/${id}/preview`)).status).toBe(401);
});

test('/p is rate-limited per client like the other public endpoints', async () => {
  const strict = await startTend({ worker: false, databaseUrl: tend.databaseUrl, env: { TEND_RATE_LIMIT_BURST: '3', TEND_RATE_LIMIT_PER_SECOND: '0.01' } });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${strict.url}/p/spring-webinar`, { headers: { 'x-forwarded-for': '10.200.0.1' } })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  } finally {
    await strict.stop();
  }
});

/** A request to /p as a browser sends it: its cookies, its own address, and (for a POST) the consent bar's form. */
async function browse(path: string, opts: { cookie?: string; method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Response> {
  return fetch(tend.url + path.replace(/&amp;/g, '&'), {
    method: opts.method ?? (opts.form ? 'POST' : 'GET'), redirect: 'manual',
    headers: {
      'x-forwarded-for': `10.3.${Math.floor(++address / 250)}.${address % 250}`, ...(opts.cookie ? { cookie: opts.cookie } : {}),
      ...(opts.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...opts.headers,
    },
    body: opts.form ? new URLSearchParams(opts.form) : undefined,
  });
}
const cookieOf = (res: Response, name: string) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
const shownVariant = (html: string) => /data-tend-variant="([^"]+)"/.exec(html)?.[1];

test('a page that requires consent: no cookie and nothing recorded until the visitor accepts, then their view of the variant they saw; a refusal is remembered and tracks nothing; only consented visitors are counted', async () => {
  const created = await tend.api('POST', '/api/landing-pages', page({
    slug: 'ask-first', requireConsent: true, goal: { kind: 'cta', withinDays: 7 },
    variants: [
      { key: 'a', name: 'A', weight: 1, blocks: [{ type: 'heading', text: 'A', level: 1 }, { type: 'form', formId }, { type: 'cta', id: 'go', label: 'Go', url: 'https://www.example.com/go' }] },
      { key: 'b', name: 'B', weight: 1, blocks: [{ type: 'heading', text: 'B', level: 1 }, { type: 'form', formId }, { type: 'cta', id: 'go', label: 'Go', url: 'https://www.example.com/go' }] },
    ],
  }));
  expect(created.status).toBe(201);
  expect(created.body.requireConsent).toBe(true);
  const id = created.body.id as string;
  await tend.api('POST', `/api/landing-pages/${id}/publish`);
  const eventsOfPage = async () => tend.sql<{ type: string; variant: string; contact_id: string }>("SELECT type, properties->>'variant' AS variant, contact_id FROM events WHERE properties->>'pageId' = $1 ORDER BY id", [id]);

  // First views: the bar, no cookie, nothing stored; the variant drawn afresh each load.
  const firsts = await Promise.all(Array.from({ length: 20 }, () => browse('/p/ask-first')));
  const htmls = await Promise.all(firsts.map((r) => r.text()));
  expect(firsts.every((r) => r.status === 200 && r.headers.getSetCookie().length === 0)).toBe(true);
  expect(new Set(htmls.map(shownVariant))).toEqual(new Set(['a', 'b']));
  const bar = htmls[0]!;
  expect(bar).toContain(`<form class="consent" method="post" action="/p/ask-first" aria-labelledby="tend-consent-text"><input type="hidden" name="variant" value="${shownVariant(bar)}">`);
  expect(bar).toContain('<span class="consent-answers"><button type="submit" name="consent" value="accept">Accept</button><button type="submit" name="consent" value="decline">Decline</button></span>');
  expect(bar).not.toMatch(/<script|name="_vid"/);
  expect(firsts[0]!.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  // A button still leads on, and a form still makes the contact; neither is tracked.
  const go = await browse(/<a class="cta" href="([^"]+)"/.exec(bar)![1]!);
  expect(go.status).toBe(302);
  expect(go.headers.get('location')).toBe('https://www.example.com/go');
  expect(go.headers.getSetCookie()).toEqual([]);
  const withoutBar = bar.replace(/<form class="consent".*?<\/form>/, '');
  expect(await submit({ status: 200, html: withoutBar, vid: '', headers: new Headers() }, { email: 'before-consent@example.com', consent: 'true' })).toHaveProperty('status', 200);
  const [contact] = await tend.sql<{ id: string }>("SELECT id FROM contacts WHERE email = 'before-consent@example.com'");
  expect(contact).toBeDefined();
  expect(await tend.sql("SELECT 1 FROM contact_identities WHERE contact_id = $1 AND kind = 'anonymous'", [contact!.id])).toEqual([]);
  expect(await eventsOfPage()).toEqual([]);

  // Only the page itself may answer: another site (or no browser at all) is refused, and nothing is stored.
  const form = { consent: 'accept', variant: 'b' };
  for (const headers of <Record<string, string>[]>[{}, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'https://evil.example' }, { origin: 'null' }]) {
    const res = await browse('/p/ask-first', { form, headers });
    expect(res.status, JSON.stringify(headers)).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
  }
  const same = { 'sec-fetch-site': 'same-origin' };
  const refused = async (body: Record<string, string>, status: number, path: string, slug = 'ask-first') => {
    const res = await browse(`/p/${slug}`, { form: body, headers: same });
    expect(res.status, JSON.stringify(body)).toBe(status);
    expect((await res.json()).errors.map((e: { path: string }) => e.path)).toEqual([path]);
    expect(res.headers.getSetCookie()).toEqual([]);
  };
  await refused({ consent: 'accept', variant: 'c' }, 422, '/variant');
  await refused({ consent: 'accept', variant: '<b>' }, 400, '/variant');
  await refused({ consent: 'yes please', variant: 'a' }, 400, '/consent');
  await refused({ consent: 'accept', variant: 'a' }, 404, '/path/slug', 'no-such-page');
  await refused({ consent: 'accept', variant: 'plain' }, 409, '/consent', 'spring-webinar');
  expect(await eventsOfPage()).toEqual([]);

  // Accepting: tend_vid and tend_consent=yes, the view of the variant seen recorded, and that variant from then on.
  const accepted: { vid: string; variant: string }[] = [];
  for (const variant of ['a', 'b', 'b', 'a']) {
    const res = await browse('/p/ask-first', { form: { consent: 'accept', variant }, headers: variant === 'a' ? same : { origin: new URL(tend.url).origin } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(shownVariant(html)).toBe(variant);
    expect(html).not.toContain('class="consent"');
    expect(cookieOf(res, 'tend_consent')).toMatch(/^tend_consent=yes; Max-Age=63072000; Path=\/; .*HttpOnly; SameSite=Lax/);
    const vid = /^tend_vid=([A-Za-z0-9_-]+);/.exec(cookieOf(res, 'tend_vid')!)![1]!;
    expect(html).toContain(`<input type="hidden" name="_vid" value="${vid}">`);
    accepted.push({ vid, variant });
  }
  for (const a of accepted) {
    const again = await browse('/p/ask-first', { cookie: `tend_vid=${a.vid}; tend_consent=yes` });
    const html = await again.text();
    expect(shownVariant(html)).toBe(a.variant);
    expect(html).not.toContain('class="consent"');
    expect(again.headers.getSetCookie()).toEqual([]);
  }
  // Each accepting visitor: two views (the accept, the return), both of the variant they saw.
  for (const a of accepted) {
    const views = await tend.sql<{ variant: string; split: boolean }>(
      "SELECT e.properties->>'variant' AS variant, (e.properties->>'split')::boolean AS split FROM events e JOIN contact_identities i ON i.contact_id = e.contact_id WHERE i.kind = 'anonymous' AND i.value = $1 AND e.type = 'landing_page_viewed'", [a.vid]);
    expect(views).toEqual([{ variant: a.variant, split: true }, { variant: a.variant, split: true }]);
  }
  expect(await eventsOfPage()).toHaveLength(8);

  // Declining: only tend_consent=no; the page in the variant seen, without the bar, now and later; nothing stored.
  const declined = await browse('/p/ask-first', { form: { consent: 'decline', variant: 'a' }, headers: same });
  expect(declined.status).toBe(200);
  expect(declined.headers.getSetCookie()).toEqual([expect.stringMatching(/^tend_consent=no; Max-Age=15768000; Path=\/; .*HttpOnly; SameSite=Lax/)]);
  const declinedHtml = await declined.text();
  expect(shownVariant(declinedHtml)).toBe('a');
  expect(declinedHtml).not.toMatch(/class="consent"|name="_vid"/);
  const later = await browse('/p/ask-first', { cookie: 'tend_consent=no' });
  expect(await later.text()).not.toContain('class="consent"');
  expect(later.headers.getSetCookie()).toEqual([]);
  // The refusal holds on the host's pages that do not ask, too.
  const notAsking = await browse('/p/spring-webinar', { cookie: 'tend_consent=no' });
  expect(notAsking.status).toBe(200);
  expect(notAsking.headers.getSetCookie()).toEqual([]);
  expect(await notAsking.text()).not.toMatch(/name="_vid"|class="consent"/);
  // A tend_vid from a page that does not ask is not consent here.
  const elsewhere = await browse('/p/ask-first', { cookie: 'tend_vid=from-another-page-1' });
  expect(await elsewhere.text()).toContain('class="consent"');
  expect(await eventsOfPage()).toHaveLength(8);

  // A click after consent is the visitor's; the results count the four who accepted, and nobody else.
  const click = await browse('/p/ask-first/cta?variant=b&block=2', { cookie: `tend_vid=${accepted[1]!.vid}; tend_consent=yes` });
  expect(click.status).toBe(302);
  const figures = (await results(id)).variants;
  expect(figures).toEqual([
    { variant: 'a', name: 'A', viewers: 2, converted: 0, rate: 0 },
    { variant: 'b', name: 'B', viewers: 2, converted: 1, rate: 0.5 },
  ]);
});

test('a preview link shows a draft at its own address to anyone holding it, for an hour: nothing recorded, no cookie, not cached or indexed; a forged or expired one is a 404', async () => {
  const created = await tend.api('POST', '/api/landing-pages', page({ slug: 'preview-link' }));
  const id = created.body.id as string;
  const events = async () => (await tend.sql('SELECT count(*)::int AS n FROM events'))[0].n;
  const before = await events();

  const link = await tend.api('POST', `/api/landing-pages/${id}/preview-link`, { variant: 'story' });
  expect(link.status).toBe(201);
  expect(link.body.url).toMatch(/^\/p\/preview-link\?preview=[0-9a-f-]{36}\.story\.\d+\.[A-Za-z0-9_-]{32}$/);
  expect(Date.parse(link.body.expiresAt) - Date.now()).toBeGreaterThan(3500_000);
  const shown = await browse(link.body.url);
  expect(shown.status).toBe(200);
  expect(shown.headers.get('cache-control')).toBe('no-store');
  expect(shown.headers.get('x-robots-tag')).toBe('noindex');
  expect(shown.headers.getSetCookie()).toEqual([]);
  const html = await shown.text();
  expect(html).toContain('<strong>Preview — not published.</strong> Variant story');
  expect(shownVariant(html)).toBe('story');
  expect(html).toContain('<a class="cta" href="https://www.example.com/story?a=1&amp;b=2">');
  expect(html).not.toMatch(/action="|name="_vid"|class="consent"/);
  // Without a variant: the first. The page is still a draft: without the token, 404.
  const first = await tend.api('POST', `/api/landing-pages/${id}/preview-link`, {});
  expect(shownVariant(await (await browse(first.body.url)).text())).toBe('plain');
  expect((await browse('/p/preview-link')).status).toBe(404);
  expect(await events()).toBe(before);

  // Forged, altered, moved, expired: each the plain 404 page.
  const token = new URL(link.body.url, tend.url).searchParams.get('preview')!;
  const [pageId, , expires, sig] = token.split('.');
  const { previewToken } = await import('../../engine/delivery/landing-page-preview.js');
  const { signingSecret } = await import('../../engine/delivery/signing.js');
  const expired = previewToken(await signingSecret(tend.services.db), id, undefined, new Date(Date.now() - 3601_000)).token;
  const notFound = await (await browse('/p/no-such-page')).text();
  for (const bad of [`${pageId}.plain.${expires}.${sig}`, `${pageId}.story.${Number(expires) + 3600}.${sig}`, `${pageId}.story.${expires}.${'A'.repeat(32)}`, expired, 'x', '']) {
    const res = await browse(`/p/preview-link?preview=${encodeURIComponent(bad)}`);
    expect(res.status, bad).toBe(404);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe(notFound);
  }
  expect((await browse(link.body.url.replace('/p/preview-link', '/p/spring-webinar'))).status).toBe(404);

  // Issued only to those signed in (whoever may look: a read key too), for a variant the page has, while it is not archived.
  expect((await fetch(`${tend.url}/api/landing-pages/${id}/preview-link`, { method: 'POST' })).status).toBe(401);
  const reader = (await tend.api('POST', '/api/keys', { name: 'preview reader', scope: 'read' })).body.key as string;
  const asReader = await fetch(`${tend.url}/api/landing-pages/${id}/preview-link`, { method: 'POST', headers: { authorization: `Bearer ${reader}`, 'content-type': 'application/json' }, body: '{}' });
  expect(asReader.status).toBe(201);
  expect((await browse((await asReader.json()).url)).status).toBe(200);
  expect((await tend.api('POST', `/api/landing-pages/${id}/preview-link`, { variant: 'nope' })).body.errors).toEqual([{ path: '/variant', message: 'the page has no variant nope; it has plain, story' }]);
  expect((await tend.api('POST', `/api/landing-pages/${id}/preview-link`, { variant: '<b>' })).status).toBe(422);
  expect((await tend.api('POST', '/api/landing-pages/00000000-0000-4000-8000-000000000000/preview-link', {})).status).toBe(404);
  await tend.api('POST', `/api/landing-pages/${id}/archive`);
  expect((await browse(link.body.url)).status).toBe(404);
  expect((await tend.api('POST', `/api/landing-pages/${id}/preview-link`, {})).status).toBe(409);
});

test('a cta goal naming one button counts clicks on that button only, in whichever variant and place it is; a goal naming no such button is refused at /goal/ctaId', async () => {
  const buttons = (order: string[]) => order.map((b) => ({ type: 'cta', id: b, label: b === 'start' ? 'Start a trial' : 'Read the docs', url: `https://www.example.com/${b}` }));
  const body = page({
    slug: 'one-button', goal: { kind: 'cta', ctaId: 'start', withinDays: 7 },
    variants: [
      { key: 'a', name: 'A', weight: 1, blocks: [{ type: 'heading', text: 'A' }, ...buttons(['start', 'docs'])] },
      { key: 'b', name: 'B', weight: 1, blocks: [{ type: 'heading', text: 'B' }, ...buttons(['docs', 'start'])] },
    ],
  });
  const problems = async (over: Record<string, unknown>) => (await tend.api('POST', '/api/landing-pages', { ...body, ...over })).body.errors;
  expect(await problems({ goal: { kind: 'cta', ctaId: 'pricing', withinDays: 7 } })).toEqual([{ path: '/goal/ctaId', message: 'no variant has a button with id "pricing": give the button that id, or count any button' }]);
  expect(await problems({ goal: { kind: 'event', eventType: 'x', ctaId: 'start', withinDays: 7 } })).toEqual([{ path: '/goal/ctaId', message: 'only a cta goal names a button' }]);
  expect(await problems({ variants: [{ key: 'a', name: 'A', weight: 1, blocks: buttons(['start', 'start']) }] })).toEqual([{ path: '/variants/0/blocks/1/id', message: '"start" names an earlier button of this variant' }]);
  expect(await problems({ variants: [{ key: 'a', name: 'A', weight: 1, blocks: [{ type: 'cta', id: 'Start Now', label: 'x', url: 'https://www.example.com/' }] }] })).toEqual([expect.objectContaining({ path: '/variants/0/blocks/0/id' })]);

  const created = await tend.api('POST', '/api/landing-pages', body);
  expect(created.status).toBe(201);
  expect(created.body.goal).toEqual({ kind: 'cta', ctaId: 'start', withinDays: 7 });
  const id = created.body.id as string;
  await tend.api('POST', `/api/landing-pages/${id}/publish`);
  const browsers: Visit[] = [];
  for (let i = 0; i < 16; i++) browsers.push(await visit('one-button'));
  const hrefOf = (v: Visit, label: string) => new RegExp(`<a class="cta" href="([^"]+)">${label}</a>`).exec(v.html)![1]!;
  // Every browser clicks the docs; one in each variant also starts a trial.
  for (const b of browsers) expect((await click(hrefOf(b, 'Read the docs'), b.vid)).status).toBe(302);
  const starters = ['a', 'b'].map((k) => browsers.find((b) => b.variant === k)!);
  for (const b of starters) expect((await click(hrefOf(b, 'Start a trial'), b.vid)).headers.get('location')).toBe('https://www.example.com/start');
  const clicks = await tend.sql<{ variant: string; cta_id: string; block: number }>("SELECT properties->>'variant' AS variant, properties->>'ctaId' AS cta_id, (properties->>'block')::int AS block FROM events WHERE type = 'landing_page_cta_clicked' AND properties->>'pageId' = $1 AND properties->>'ctaId' = 'start' ORDER BY 1", [id]);
  expect(clicks).toEqual([{ variant: 'a', cta_id: 'start', block: 1 }, { variant: 'b', cta_id: 'start', block: 2 }]);
  const count = (k: string) => browsers.filter((b) => b.variant === k).length;
  expect((await results(id)).variants).toEqual([
    { variant: 'a', name: 'A', viewers: count('a'), converted: 1, rate: 1 / count('a') },
    { variant: 'b', name: 'B', viewers: count('b'), converted: 1, rate: 1 / count('b') },
  ]);
});
