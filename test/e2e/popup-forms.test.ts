// Pop-up and slide-in forms on a real website in real Chromium. A slide-in for everyone
// on blog pages appears after a second, records popup_shown and, closed, popup_closed,
// and stays away on the next visit (the browser remembers). A modal for the "trial"
// segment on a long page: a stranger scrolls to the end and sees nothing; the same
// browser known as a trial user sees it past half the page, submits it through the
// usual forms path (a form_submitted on their timeline), and is not asked again.
// Exit intent opens a third when the pointer leaves through the top of the window.
// The API names each bad field; the form's screen edits the pop-up.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { serveSite, type Site } from '../support/site.js';
import { startTend, type Tend } from '../support/tend.js';
import { openBrowser, signIn, type Session } from './support/browser.js';

let tend: Tend;
let s: Session;
let site: Site;
let siteUrl: string;
let guideForm: string;
let newsletterForm: string;
let feedbackForm: string;

const email = { name: 'email', label: 'Email', type: 'email', required: true };

beforeAll(async () => {
  [tend, s] = await Promise.all([startTend({ worker: false }), openBrowser()]);
  const key = (await tend.api('POST', '/api/site-keys', { name: 'localhost' })).body.key;
  expect((await tend.api('POST', '/api/segments', { key: 'trial', name: 'Trial users', condition: { field: 'contact.attributes.plan', op: 'eq', value: 'trial' } })).status).toBe(201);
  guideForm = (await tend.api('POST', '/api/forms', { name: 'Get the setup guide', fields: [email, { name: 'company', label: 'Company', type: 'text', required: true }], thankYou: 'The guide is on its way.', submitLabel: 'Send me the guide' })).body.id;
  newsletterForm = (await tend.api('POST', '/api/forms', { name: 'Newsletter', fields: [email], thankYou: 'Subscribed!', submitLabel: 'Subscribe' })).body.id;
  feedbackForm = (await tend.api('POST', '/api/forms', { name: 'Before you go', fields: [email], thankYou: 'Thanks!', submitLabel: 'Tell me more' })).body.id;
  const put = (form: string, body: unknown) => tend.api('PUT', `/api/forms/${form}/popup`, body);
  expect((await put(guideForm, { style: 'modal', trigger: 'scroll', threshold: 50, hideDaysAfterClose: 7, hideDaysAfterSubmit: 365, segments: ['trial'], pages: '/guide', active: true })).status).toBe(200);
  expect((await put(newsletterForm, { style: 'slide-in', trigger: 'time', threshold: 1, hideDaysAfterClose: 3, hideDaysAfterSubmit: 365, segments: [], pages: '/blog/*', active: true })).status).toBe(200);
  expect((await put(feedbackForm, { style: 'modal', trigger: 'exit-intent', hideDaysAfterClose: 1, hideDaysAfterSubmit: 30, segments: [], pages: '/pricing', active: true })).status).toBe(200);
  const snippet = `<script src="${tend.url}/t.js" data-key="${key}" async></script>`;
  const long = (title: string) => `<!doctype html><title>${title}</title><style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto}</style><h1>${title}</h1>${'<p style="height:400px">Lorem ipsum dolor sit amet.</p>'.repeat(8)}${snippet}`;
  const pages: Record<string, string> = {
    '/blog/post': long('A blog post'),
    '/guide': long('The setup guide'),
    '/pricing': long('Pricing'),
    '/': `<!doctype html><title>Home</title><h1>Home</h1>${snippet}`,
  };
  site = await serveSite(pages);
  siteUrl = site.url;
});
afterAll(async () => {
  await s?.close();
  await site?.close();
  await tend?.stop();
});

const popup = (page: Page, form: string) => page.locator(`[data-tend-popup="${form}"]`);
const timeline = async (contactId: string) => (await tend.api('GET', `/api/contacts/${contactId}/timeline`)).body.entries.filter((e: any) => e.kind === 'event');
const visitorOf = async (page: Page) => {
  const vid = (await page.context().cookies(siteUrl)).find((c) => c.name === 'tend_vid')!.value;
  return tend.until(async () => (await tend.sql('SELECT contact_id FROM contact_identities WHERE kind = $1 AND value = $2', ['anonymous', vid]))[0]?.contact_id as string | undefined, 'the visitor');
};
const loaded = (page: Page) => page.waitForFunction(() => (window as any).tend?.loaded === true);

test('a slide-in for everyone on blog pages: shown after a second, closed, and left alone on the next visit', async () => {
  const { page } = s;
  await page.goto(siteUrl + '/');
  await loaded(page);
  await page.waitForTimeout(1500);
  expect(await popup(page, newsletterForm).count()).toBe(0); // not a blog page

  await page.goto(siteUrl + '/blog/post');
  await popup(page, newsletterForm).getByLabel('Email').waitFor();
  expect(await popup(page, newsletterForm).getAttribute('data-tend-style')).toBe('slide-in');
  expect(await popup(page, newsletterForm).getByRole('heading').textContent()).toBe('Newsletter');
  const box = (await popup(page, newsletterForm).boundingBox())!;
  expect(box.x + box.width).toBeGreaterThan(1200); // in the bottom-right corner
  expect(box.y + box.height).toBeGreaterThan(700);
  await s.screenshot('popup-slide-in');
  await popup(page, newsletterForm).getByRole('button', { name: 'Close' }).click();
  expect(await popup(page, newsletterForm).count()).toBe(0);
  const until = Number(await page.evaluate((id) => localStorage.getItem(`tend_popup_${id}`), newsletterForm));
  expect(until - Date.now()).toBeGreaterThan(2.9 * 86400000);

  await page.reload();
  await loaded(page);
  await page.waitForTimeout(2000);
  expect(await popup(page, newsletterForm).count()).toBe(0);

  const contactId = await visitorOf(page);
  const events = await tend.until(async () => {
    const entries = await timeline(contactId);
    return entries.some((e: any) => e.type === 'popup_closed') && entries;
  }, 'the close on the timeline');
  expect(events.filter((e: any) => e.type === 'popup_shown').map((e: any) => e.properties)).toEqual([expect.objectContaining({ formId: newsletterForm, style: 'slide-in', trigger: 'time', path: '/blog/post' })]);
  // Each showing is a view of the form.
  expect((await tend.api('GET', `/api/forms/${newsletterForm}/stats`)).body.views).toBe(1);
  expect(s.errors).toEqual([]);
});

test('a modal for trial users on scroll: not for a stranger; for the same browser once known; submitted through the forms path; not again', async () => {
  const context = await s.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(siteUrl + '/guide');
  await loaded(page);
  await page.mouse.wheel(0, 4000);
  await page.waitForTimeout(1500);
  expect(await popup(page, guideForm).count()).toBe(0);

  // The browser becomes a known trial user.
  const trial = await tend.api('PUT', '/api/contacts', { email: 'tara@example.com', attributes: { plan: 'trial' } });
  await tend.until(async () => (await tend.sql("SELECT 1 FROM segment_members m JOIN segments s ON s.id = m.segment_id WHERE s.key = 'trial' AND m.contact_id = $1", [trial.body.id])).length > 0, 'the segment');
  await page.evaluate(() => (window as any).tend.identify({ email: 'tara@example.com' }));
  await tend.until(async () => (await visitorOf(page)) === trial.body.id, 'the merge');

  // A new navigation (a reload would put the page back where it was scrolled to).
  await page.goto(siteUrl + '/guide');
  await loaded(page);
  await page.waitForTimeout(500);
  expect(await popup(page, guideForm).count()).toBe(0); // not before half the page
  await page.mouse.wheel(0, 1200);
  const modal = popup(page, guideForm);
  await modal.getByLabel('Company').waitFor();
  expect(await modal.getAttribute('data-tend-style')).toBe('modal');
  expect(await page.getByRole('dialog', { name: 'Form' }).getAttribute('aria-modal')).toBe('true');
  await modal.getByLabel('Email').fill('tara@example.com');
  await modal.getByLabel('Company').fill('Acme');
  await page.screenshot({ path: 'test/artifacts/popup-modal.png' });
  await modal.getByRole('button', { name: 'Send me the guide' }).click();
  await modal.locator('[data-tend-thanks]').filter({ hasText: 'The guide is on its way.' }).waitFor();

  const submitted = await tend.until(async () => (await timeline(trial.body.id)).find((e: any) => e.type === 'form_submitted'), 'the submission');
  expect(submitted.properties).toMatchObject({ formId: guideForm, values: { email: 'tara@example.com', company: 'Acme' } });
  expect((await tend.api('GET', `/api/contacts/${trial.body.id}`)).body.attributes).toMatchObject({ company: 'Acme', plan: 'trial' });
  const until = Number(await page.evaluate((id) => localStorage.getItem(`tend_popup_${id}`), guideForm));
  expect(until - Date.now()).toBeGreaterThan(364 * 86400000);

  await page.goto(siteUrl + '/guide');
  await loaded(page);
  await page.mouse.wheel(0, 4000);
  await page.waitForTimeout(1500);
  expect(await popup(page, guideForm).count()).toBe(0);
  await context.close();
  expect(errors).toEqual([]);
});

test('exit intent: the pointer leaving through the top of the window opens the form; Escape closes it', async () => {
  const context = await s.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(siteUrl + '/pricing');
  await loaded(page);
  await page.waitForTimeout(300); // the answer from Tend arms the trigger
  await page.mouse.move(640, 400);
  expect(await popup(page, feedbackForm).count()).toBe(0);
  await page.mouse.move(640, 5, { steps: 5 });
  await page.mouse.move(640, -20, { steps: 2 });
  await popup(page, feedbackForm).getByLabel('Email').waitFor();
  await page.keyboard.press('Escape');
  expect(await popup(page, feedbackForm).count()).toBe(0);
  await context.close();
});

test('the API names each bad field of a pop-up', async () => {
  const put = (body: unknown) => tend.api('PUT', `/api/forms/${guideForm}/popup`, body);
  const base = { style: 'modal', trigger: 'scroll', threshold: 50, hideDaysAfterClose: 7, hideDaysAfterSubmit: 365, segments: [], active: true };
  expect((await put({ ...base, threshold: undefined })).body.errors).toEqual([{ path: '/threshold', message: 'a scroll trigger needs a threshold from 1 to 100 (percent of the page scrolled)' }]);
  expect((await put({ ...base, trigger: 'exit-intent' })).body.errors).toEqual([{ path: '/threshold', message: 'exit intent takes no threshold' }]);
  expect((await put({ ...base, segments: ['trial', 'nobody'] })).body.errors).toEqual([{ path: '/segments/1', message: 'no segment has key "nobody"' }]);
  const bad = await put({ ...base, style: 'banner', hideDaysAfterClose: -1 });
  expect(bad.status).toBe(422);
  expect(bad.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['/style', '/hideDaysAfterClose']));
  expect((await tend.api('PUT', '/api/forms/00000000-0000-4000-8000-000000000000/popup', base)).status).toBe(404);
  // Unchanged by the refused requests.
  expect((await tend.api('GET', `/api/forms/${guideForm}/popup`)).body.popup).toMatchObject({ segments: ['trial'], threshold: 50 });
  // A form that is not a pop-up says so; an unknown form is 404.
  expect((await tend.api('GET', `/api/forms/${(await tend.api('POST', '/api/forms', { name: 'Plain', fields: [email] })).body.id}/popup`)).body).toEqual({ popup: null });
  expect((await tend.api('GET', '/api/forms/00000000-0000-4000-8000-000000000000/popup')).status).toBe(404);
});

test('the form\'s screen shows the pop-up and saves a change', async () => {
  const context = await s.browser.newContext({ viewport: { width: 1280, height: 1600 } });
  const page = await context.newPage();
  await signIn(page, tend);
  await page.goto(`${tend.url}/forms/${guideForm}`);
  const section = page.getByRole('region', { name: 'Pop-up' });
  await section.getByLabel('Trial users').waitFor();
  expect(await section.getByLabel('Trial users').isChecked()).toBe(true);
  await section.getByLabel('When').selectOption('exit-intent');
  await section.getByLabel('Not again for (days) after a close').fill('14');
  await section.getByTestId('save-popup').click();
  await page.getByText('Pop-up saved').waitFor();
  await page.screenshot({ path: 'test/artifacts/popup-editor.png', fullPage: true });
  const saved = (await tend.api('GET', `/api/forms/${guideForm}/popup`)).body.popup;
  expect(saved).toMatchObject({ trigger: 'exit-intent', hideDaysAfterClose: 14, segments: ['trial'] });
  expect(saved.threshold).toBeUndefined();
  await context.close();
});
