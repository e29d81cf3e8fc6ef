// GET /p/:slug: a published landing page, public and server-rendered. The visitor is
// the tracking cookie's anonymous id (`tend_vid`, as t.js keeps it), or a new one set
// here as a first-party cookie of Tend's host, so the split is sticky per browser and
// a form submitted on the page merges the browser's views into the contact. Unknown,
// draft and archived slugs answer the same 404 page.
import crypto from 'node:crypto';
import type { Request, Router } from 'express';
import { router } from '../router.js';
import type { Db } from '../../engine/storage/db.js';
import { SLUG } from '../../engine/delivery/landing-pages.js';
import { notFoundPage } from '../../engine/delivery/landing-page-html.js';
import { createLandingPageServer, type ServingOptions } from '../../engine/delivery/landing-page-serving.js';
import { route } from '../problem.js';

const SLUG_PATTERN = new RegExp(SLUG);
/** The cookie t.js sets (server/public/t.js), read and written alike. */
const VISITOR_COOKIE = /(?:^|;\s*)tend_vid=([A-Za-z0-9_-]{8,64})(?:;|$)/;
const TWO_YEARS_S = 63_072_000;

function visitorOf(req: Request): string | undefined {
  return VISITOR_COOKIE.exec(req.headers.cookie ?? '')?.[1];
}

export function landingPageViewRouter(db: Db, onStored: () => void, opts: ServingOptions = {}): Router {
  const pages = createLandingPageServer(db, opts);
  const r = router();
  r.get('/p/:slug', route(async (req, res) => {
    const slug = String(req.params.slug);
    const notFound = () => void res.status(404).set('Cache-Control', 'no-store').type('html').send(notFoundPage());
    if (!SLUG_PATTERN.test(slug)) return notFound();
    const known = visitorOf(req);
    const visitorId = known ?? crypto.randomUUID();
    const served = await pages.serve(slug, visitorId, { count: req.method === 'GET' });
    if (!served) return notFound();
    if (served.recorded) onStored();
    // Not HttpOnly: t.js on the same host reads the same id, so the two are one visitor.
    if (!known) res.cookie('tend_vid', visitorId, { path: '/', maxAge: TWO_YEARS_S * 1000, sameSite: 'lax', secure: req.secure });
    // Each visitor may see another variant: no shared cache may keep one for all.
    res.set('Cache-Control', 'private, no-store').type('html').send(served.html);
  }));
  return r;
}
