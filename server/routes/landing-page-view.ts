// GET /p/:slug: a published landing page, public and server-rendered. The visitor is
// the tracking cookie's anonymous id (`tend_vid`, as t.js keeps it), or a new one set
// here as a first-party cookie of Tend's host, so the split is sticky per browser and
// a form submitted on the page merges the browser's views into the contact. Unknown,
// draft and archived slugs answer the same 404 page. GET /p/:slug/cta is a button's
// link: the click recorded for the same visitor, then 302 to the address stored in that
// button of that page (nothing in the request names the target: no open redirect).
// A page that requires consent sets no tend_vid and records nothing until the visitor
// accepts on its bar (POST /p/:slug, same origin only); the answer either way is kept
// in `tend_consent`, a strictly necessary cookie that holds nothing but the answer.
// GET /p/:slug?preview=<token> is an editor's preview link (landing-page-preview.ts).
import express, { type Request, type Response, type Router } from 'express';
import { router } from '../router.js';
import type { Db } from '../../engine/storage/db.js';
import { SLUG } from '../../engine/delivery/landing-pages.js';
import { CONTENT_KEY } from '../../engine/delivery/content-slots.js';
import { HttpProblem } from '../http-problem.js';
import { notFoundPage } from '../../engine/delivery/landing-page-html.js';
import { createLandingPageServer, previewLandingPage, type ServingOptions, type Visitor } from '../../engine/delivery/landing-page-serving.js';
import { verifyPreviewToken } from '../../engine/delivery/landing-page-preview.js';
import { route } from '../problem.js';

const SLUG_PATTERN = new RegExp(SLUG);
/** The cookie t.js sets (server/public/t.js), read and written alike. */
const VISITOR_COOKIE = /(?:^|;\s*)tend_vid=([A-Za-z0-9_-]{8,64})(?:;|$)/;
const CONSENT_COOKIE = /(?:^|;\s*)tend_consent=(yes|no)(?:;|$)/;
const TWO_YEARS_S = 63_072_000;
/** A refusal is asked again after six months; an acceptance lasts as long as the visitor id. */
const SIX_MONTHS_S = 15_768_000;

const KEY_PATTERN = new RegExp(CONTENT_KEY);

function visitorOf(req: Request): Visitor {
  const cookies = req.headers.cookie ?? '';
  return { id: VISITOR_COOKIE.exec(cookies)?.[1], consent: CONSENT_COOKIE.exec(cookies)?.[1] as Visitor['consent'] };
}

/** Sets tend_vid when the served visitor's id is not the cookie's already. */
function remember(req: Request, res: Response, who: Visitor, id: string | undefined): void {
  // Not HttpOnly: t.js on the same host reads the same id, so the two are one visitor.
  if (id && id !== who.id) res.cookie('tend_vid', id, { path: '/', maxAge: TWO_YEARS_S * 1000, sameSite: 'lax', secure: req.secure });
}

/** The button a click names: a variant key and a block index, each checked before any lookup. */
function ctaQuery(req: Request): { variant: string; block: number } {
  const { variant, block } = req.query;
  const problems = [];
  if (typeof variant !== 'string' || !KEY_PATTERN.test(variant)) problems.push({ path: '/query/variant', message: 'must be a variant key, e.g. short-form' });
  if (typeof block !== 'string' || !/^\d{1,2}$/.test(block)) problems.push({ path: '/query/block', message: 'must be a block number from 0 to 29' });
  if (problems.length) throw new HttpProblem(400, 'Invalid button link', problems);
  return { variant: variant as string, block: Number(block) };
}

/**
 * Whether a POST comes from a page of this host: another site must not accept (or
 * decline) for a visitor. Browsers send Sec-Fetch-Site; those that do not send Origin
 * (which is "null" on Tend's pages, their Referrer-Policy being no-referrer, so such a
 * browser cannot answer; it still sees the page). A request with neither is refused:
 * it is no browser's form.
 */
function sameOrigin(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site) return site === 'same-origin';
  const origin = req.get('origin');
  if (!origin || origin === 'null') return false;
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}

/** A consent bar's answer: accept or decline, and the variant the visitor was shown. */
function consentBody(req: Request): { answer: 'accept' | 'decline'; variant: string } {
  const { consent, variant } = (req.body ?? {}) as Record<string, unknown>;
  const problems = [];
  if (consent !== 'accept' && consent !== 'decline') problems.push({ path: '/consent', message: 'must be accept or decline' });
  if (typeof variant !== 'string' || !KEY_PATTERN.test(variant)) problems.push({ path: '/variant', message: 'must be the key of the variant shown, e.g. short-form' });
  if (problems.length) throw new HttpProblem(400, 'Invalid consent answer', problems);
  return { answer: consent as 'accept' | 'decline', variant: variant as string };
}

export interface ViewOptions extends ServingOptions {
  /** The signing keyring, for preview links. */
  secret: string;
}

export function landingPageViewRouter(db: Db, onStored: () => void, opts: ViewOptions): Router {
  const pages = createLandingPageServer(db, opts);
  const r = router();
  const notFound = (res: Response) => void res.status(404).set('Cache-Control', 'no-store').type('html').send(notFoundPage());

  /** A preview link: the page's draft or variant, recorded nowhere, kept nowhere, indexed by no one. */
  async function preview(req: Request, res: Response, slug: string, token: unknown): Promise<void> {
    res.set({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex' });
    const named = typeof token === 'string' ? verifyPreviewToken(opts.secret, token) : undefined;
    const shown = named && await previewLandingPage(db, named.pageId, named.variant, { slug });
    if (!shown || typeof shown === 'string') return notFound(res);
    res.type('html').send(shown.html);
  }

  r.get('/p/:slug', route(async (req, res) => {
    const slug = String(req.params.slug);
    if (!SLUG_PATTERN.test(slug)) return notFound(res);
    if (req.query.preview !== undefined) return preview(req, res, slug, req.query.preview);
    const who = visitorOf(req);
    const served = await pages.serve(slug, who, { count: req.method === 'GET' });
    if (!served) return notFound(res);
    if (served.recorded) onStored();
    remember(req, res, who, served.visitorId);
    // Each visitor may see another variant: no shared cache may keep one for all.
    res.set('Cache-Control', 'private, no-store').type('html').send(served.html);
  }));
  r.post('/p/:slug', express.urlencoded({ extended: false, limit: '1kb' }), route(async (req, res) => {
    const slug = String(req.params.slug);
    if (!SLUG_PATTERN.test(slug)) throw new HttpProblem(404, 'Unknown landing page', [{ path: '/path/slug', message: `no published landing page is at /p/${slug}` }]);
    if (!sameOrigin(req)) throw new HttpProblem(403, 'Not from this page', [{ path: '/', message: 'a consent answer is accepted from the page itself only' }]);
    const { answer, variant } = consentBody(req);
    const who = visitorOf(req);
    const answered = await pages.consent(slug, who, answer, variant);
    if (answered.kind === 'unknown') throw new HttpProblem(answered.field === 'slug' ? 404 : 422, answered.field === 'slug' ? 'Unknown landing page' : 'Unknown variant', [{ path: answered.field === 'slug' ? '/path/slug' : '/variant', message: answered.message }]);
    if (answered.kind === 'not asked') throw new HttpProblem(409, 'Consent not asked', [{ path: '/consent', message: 'this page does not ask for consent' }]);
    const cookie = { path: '/', sameSite: 'lax' as const, secure: req.secure, httpOnly: true };
    if (answered.kind === 'declined') {
      res.cookie('tend_consent', 'no', { ...cookie, maxAge: SIX_MONTHS_S * 1000 });
    } else {
      onStored();
      res.cookie('tend_consent', 'yes', { ...cookie, maxAge: TWO_YEARS_S * 1000 });
      remember(req, res, who, answered.visitorId);
    }
    // The page itself, in the variant the visitor was shown, without the bar: no second load to count.
    res.set('Cache-Control', 'private, no-store').type('html').send(answered.html);
  }));
  r.get('/p/:slug/cta', route(async (req, res) => {
    const slug = String(req.params.slug);
    if (!SLUG_PATTERN.test(slug)) throw new HttpProblem(404, 'Unknown landing page', [{ path: '/path/slug', message: `no published landing page is at /p/${slug}` }]);
    const { variant, block } = ctaQuery(req);
    // A HEAD (a link checker, a preview bot) learns where it leads but records nothing: only GET clicks.
    const who = visitorOf(req);
    const click = await pages.click(slug, who, variant, block, { count: req.method === 'GET' });
    if (click.kind === 'unknown') throw new HttpProblem(404, 'Unknown button', [{ path: click.field === 'slug' ? '/path/slug' : `/query/${click.field}`, message: click.message }]);
    if (click.recorded) onStored();
    remember(req, res, who, click.visitorId);
    res.set('Cache-Control', 'private, no-store').redirect(302, click.url);
  }));
  return r;
}
