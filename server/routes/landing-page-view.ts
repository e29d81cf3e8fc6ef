// GET /p/:slug: a published landing page, public and server-rendered. The visitor is
// the tracking cookie's anonymous id (`tend_vid`, as t.js keeps it), or a new one set
// here as a first-party cookie of Tend's host, so the split is sticky per browser and
// a form submitted on the page merges the browser's views into the contact. Unknown,
// draft and archived slugs answer the same 404 page. GET /p/:slug/cta is a button's
// link: the click recorded for the same visitor, then 302 to the address stored in that
// button of that page (nothing in the request names the target: no open redirect).
import crypto from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { router } from '../router.js';
import type { Db } from '../../engine/storage/db.js';
import { SLUG } from '../../engine/delivery/landing-pages.js';
import { CONTENT_KEY } from '../../engine/delivery/content-slots.js';
import { HttpProblem } from '../http-problem.js';
import { notFoundPage } from '../../engine/delivery/landing-page-html.js';
import { createLandingPageServer, type ServingOptions } from '../../engine/delivery/landing-page-serving.js';
import { route } from '../problem.js';

const SLUG_PATTERN = new RegExp(SLUG);
/** The cookie t.js sets (server/public/t.js), read and written alike. */
const VISITOR_COOKIE = /(?:^|;\s*)tend_vid=([A-Za-z0-9_-]{8,64})(?:;|$)/;
const TWO_YEARS_S = 63_072_000;

const KEY_PATTERN = new RegExp(CONTENT_KEY);

function visitorOf(req: Request): string | undefined {
  return VISITOR_COOKIE.exec(req.headers.cookie ?? '')?.[1];
}

/** The visitor's id: the cookie's, or a new one to `remember` once the answer is not a 404. */
function visitor(req: Request): { id: string; remember: (res: Response) => void } {
  const known = visitorOf(req);
  const id = known ?? crypto.randomUUID();
  // Not HttpOnly: t.js on the same host reads the same id, so the two are one visitor.
  return { id, remember: (res) => void (known || res.cookie('tend_vid', id, { path: '/', maxAge: TWO_YEARS_S * 1000, sameSite: 'lax', secure: req.secure })) };
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

export function landingPageViewRouter(db: Db, onStored: () => void, opts: ServingOptions = {}): Router {
  const pages = createLandingPageServer(db, opts);
  const r = router();
  r.get('/p/:slug', route(async (req, res) => {
    const slug = String(req.params.slug);
    const notFound = () => void res.status(404).set('Cache-Control', 'no-store').type('html').send(notFoundPage());
    if (!SLUG_PATTERN.test(slug)) return notFound();
    const who = visitor(req);
    const served = await pages.serve(slug, who.id, { count: req.method === 'GET' });
    if (!served) return notFound();
    if (served.recorded) onStored();
    who.remember(res);
    // Each visitor may see another variant: no shared cache may keep one for all.
    res.set('Cache-Control', 'private, no-store').type('html').send(served.html);
  }));
  r.get('/p/:slug/cta', route(async (req, res) => {
    const slug = String(req.params.slug);
    if (!SLUG_PATTERN.test(slug)) throw new HttpProblem(404, 'Unknown landing page', [{ path: '/path/slug', message: `no published landing page is at /p/${slug}` }]);
    const { variant, block } = ctaQuery(req);
    // A HEAD (a link checker, a preview bot) learns where it leads but records nothing: only GET clicks.
    const who = visitor(req);
    const click = await pages.click(slug, who.id, variant, block, { count: req.method === 'GET' });
    if (click.kind === 'unknown') throw new HttpProblem(404, 'Unknown button', [{ path: click.field === 'slug' ? '/path/slug' : `/query/${click.field}`, message: click.message }]);
    if (click.recorded) onStored();
    who.remember(res);
    res.set('Cache-Control', 'private, no-store').redirect(302, click.url);
  }));
  return r;
}
