// /api/landing-pages: hosted landing pages with A/B tests — create, list, read, change,
// publish and archive them, stop a test by choosing its winner by hand, and each variant's viewers, conversions and rate with the
// two-proportion z-test's p-value and the decision. A body is checked whole, then each
// block against its own type, so a bad block's problem names its field. A preview link
// (/p/:slug?preview=…) is issued here to those signed in; the link itself needs no session.
import type { Router } from 'express';
import { router } from '../router.js';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import type { FieldError } from '../../engine/ops/errors.js';
import { previewToken } from '../../engine/delivery/landing-page-preview.js';
import { LandingPageShape, PreviewLinkRequest, WinnerChoice, landingPageProblems, type LandingPage, type LandingPageInput } from '../../engine/delivery/landing-pages.js';
import { previewLandingPage } from '../../engine/delivery/landing-page-serving.js';
import { changeLandingPage, changeLandingPageStatus, createLandingPage, getLandingPage, listLandingPages } from '../../engine/delivery/landing-page-store.js';
import { chooseWinnerByHand, landingPageResults } from '../../engine/results/landing-pages.js';
import { actorOf, type Caller } from '../auth.js';
import { getForm } from '../../engine/audience/forms.js';
import { CONTENT_KEY } from '../../engine/delivery/content-slots.js';
import { parseBody } from '../input.js';
import { route } from '../problem.js';
import { isUuid } from '../../engine/ops/uuid.js';

const unknown = (id: string) => new HttpProblem(404, 'Unknown landing page', [{ path: '/id', message: `no landing page has id ${id}` }]);
const taken = (slug: string) => new HttpProblem(409, 'Slug taken', [{ path: '/slug', message: `another landing page is at /p/${slug}` }]);
const decided = (winner: string) => new HttpProblem(409, 'Winner chosen already', [{ path: '/variant', message: `${winner} won already; a decision stands (create a new page to test again)` }]);
const archived = () => new HttpProblem(409, 'Landing page archived', [{ path: '/status', message: 'an archived page cannot change; create a new one' }]);

/** The body checked: its shape, each block by its type, then that every form it names exists. */
async function checked(db: Db, body: unknown): Promise<LandingPageInput> {
  const shape = parseBody(LandingPageShape, body);
  const problems = landingPageProblems(shape);
  if (problems.length) throw new HttpProblem(422, 'Invalid landing page', problems);
  const page = shape as LandingPageInput;
  const missing: FieldError[] = [];
  for (const [i, v] of page.variants.entries()) {
    for (const [j, b] of v.blocks.entries()) {
      if (b.type === 'form' && !(await getForm(db, b.formId))) missing.push({ path: `/variants/${i}/blocks/${j}/formId`, message: `no form has id ${b.formId}` });
    }
  }
  if (missing.length) throw new HttpProblem(422, 'Invalid landing page', missing);
  return page;
}

const VARIANT_KEY = new RegExp(CONTENT_KEY);

function pageId(raw: string): string {
  if (!isUuid(raw)) throw unknown(raw);
  return raw;
}

async function existing(db: Db, raw: string): Promise<LandingPage> {
  const page = await getLandingPage(db, pageId(raw));
  if (!page) throw unknown(raw);
  return page;
}

export function landingPagesRouter(db: Db, secret: string): Router {
  const r = router();
  r.get('/', route(async (_req, res) => void res.json({ landingPages: await listLandingPages(db) })));
  r.post('/', route(async (req, res) => {
    const input = await checked(db, req.body);
    const page = await createLandingPage(db, input);
    if (page === 'slug taken') throw taken(input.slug);
    res.status(201).location(`/api/landing-pages/${page.id}`).json(page);
  }));
  r.get('/:id', route(async (req, res) => void res.json(await existing(db, String(req.params.id)))));
  r.put('/:id', route(async (req, res) => {
    const id = pageId(String(req.params.id));
    const input = await checked(db, req.body);
    const page = await changeLandingPage(db, id, input);
    if (page === 'slug taken') throw taken(input.slug);
    if (page === 'missing') throw (await getLandingPage(db, id)) ? archived() : unknown(id);
    res.json(page);
  }));
  for (const [action, status] of [['publish', 'published'], ['archive', 'archived']] as const) {
    r.post(`/:id/${action}`, route(async (req, res) => {
      const id = pageId(String(req.params.id));
      const page = await changeLandingPageStatus(db, id, status);
      if (!page) throw (await getLandingPage(db, id)) ? archived() : unknown(id);
      res.json(page);
    }));
  }
  r.post('/:id/winner', route(async (req, res) => {
    const page = await existing(db, String(req.params.id));
    const { variant } = parseBody(WinnerChoice, req.body);
    if (page.status === 'archived') throw archived();
    if (page.winner) throw decided(page.winner);
    if (!page.variants.some((v) => v.key === variant)) throw new HttpProblem(422, 'Unknown variant', [{ path: '/variant', message: `the page has no variant ${variant}; it has ${page.variants.map((v) => v.key).join(', ')}` }]);
    const chosen = await chooseWinnerByHand(db, page, variant, actorOf(res.locals.caller as Caller));
    if (!chosen) {
      // Decided or archived meanwhile (by the test, or by someone else): say which.
      const now = await existing(db, page.id);
      throw now.winner ? decided(now.winner) : archived();
    }
    res.locals.audit = { detail: { name: page.name, winner: variant } };
    res.json(chosen);
  }));
  r.get('/:id/preview', route(async (req, res) => {
    const id = pageId(String(req.params.id));
    const { variant } = req.query;
    if (variant !== undefined && (typeof variant !== 'string' || !VARIANT_KEY.test(variant))) throw new HttpProblem(400, 'Invalid variant', [{ path: '/query/variant', message: 'must be a variant key, e.g. short-form' }]);
    const shown = await previewLandingPage(db, id, variant);
    if (shown === 'no page') throw unknown(id);
    if (shown === 'no variant') throw new HttpProblem(404, 'Unknown variant', [{ path: '/query/variant', message: `the page has no variant ${variant}` }]);
    res.set('Cache-Control', 'no-store').json(shown);
  }));
  r.post('/:id/preview-link', route(async (req, res) => {
    const page = await existing(db, String(req.params.id));
    const { variant } = parseBody(PreviewLinkRequest, req.body ?? {});
    if (page.status === 'archived') throw archived();
    if (variant !== undefined && !page.variants.some((v) => v.key === variant)) throw new HttpProblem(422, 'Unknown variant', [{ path: '/variant', message: `the page has no variant ${variant}; it has ${page.variants.map((v) => v.key).join(', ')}` }]);
    const { token, expiresAt } = previewToken(secret, page.id, variant);
    res.set('Cache-Control', 'no-store').status(201).json({ url: `/p/${page.slug}?preview=${token}`, expiresAt });
  }));
  r.get('/:id/results', route(async (req, res) => {
    const page = await existing(db, String(req.params.id));
    res.set('Cache-Control', 'no-store').json(await landingPageResults(db, page));
  }));
  return r;
}
