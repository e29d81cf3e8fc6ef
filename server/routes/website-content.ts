// GET /t/content: what t.js shows in a page's content slots (data-tend-slot) for its
// visitor, and (with popups=true) the pop-up forms that visitor may see. Public and cross-origin like /t/collect, authorised by the site key; a
// plain GET with no custom header, so a browser sends it without a CORS preflight.
// It writes nothing: the script records what it showed (content_shown) through
// /t/collect, with the visitor's consent rules.
import type { Router } from 'express';
import { router } from '../router.js';
import { HttpProblem } from '../http-problem.js';
import type { FieldError } from '../../engine/ops/errors.js';
import { ANONYMOUS_ID_PATTERN } from '../../engine/audience/identity.js';
import { SITE_KEY_PATTERN } from '../../engine/access/site-keys.js';
import { CONTENT_KEY } from '../../engine/delivery/content-slots.js';
import type { ContentServer } from '../../engine/delivery/website-content.js';
import { route } from '../problem.js';
import { openCors } from '../public-input.js';

/** Slots one page may ask for at once. */
export const MAX_SLOTS = 20;

const SITE_KEY = new RegExp(SITE_KEY_PATTERN);
const VISITOR = new RegExp(ANONYMOUS_ID_PATTERN);
const SLOT = new RegExp(CONTENT_KEY);

/** The query, checked: each problem names its parameter (a repeated one is a problem too, not silently the first). */
function checkedQuery(q: Record<string, unknown>): { key: string; vid?: string; slots: string[]; popups: boolean } {
  const problems: FieldError[] = [];
  const one = (name: string, required: boolean): string | undefined => {
    const v = q[name];
    if (v === undefined) { if (required) problems.push({ path: `?${name}`, message: 'is required' }); return undefined; }
    if (typeof v !== 'string') { problems.push({ path: `?${name}`, message: 'give it once, as text' }); return undefined; }
    return v;
  };
  const key = one('key', true);
  if (key !== undefined && !SITE_KEY.test(key)) problems.push({ path: '?key', message: 'is not a site key (pk_…)' });
  const vid = one('vid', false);
  if (vid !== undefined && !VISITOR.test(vid)) problems.push({ path: '?vid', message: 'is not a visitor id (8 to 64 letters, digits, - or _)' });
  const popups = one('popups', false);
  if (popups !== undefined && popups !== 'true' && popups !== 'false') problems.push({ path: '?popups', message: 'must be true or false' });
  const list = one('slots', popups !== 'true');
  const slots = list === undefined || list === '' ? [] : [...new Set(list.split(','))];
  if (list !== undefined && slots.length > MAX_SLOTS) problems.push({ path: '?slots', message: `at most ${MAX_SLOTS} slots a page` });
  else slots.forEach((s, i) => { if (!SLOT.test(s)) problems.push({ path: `?slots/${i}`, message: `"${s.slice(0, 70)}" is not a slot key (lower case letters, digits, - and _)` }); });
  if (problems.length) throw new HttpProblem(422, 'Invalid request', problems);
  return { key: key!, vid, slots, popups: popups === 'true' };
}

export function websiteContentRouter(content: ContentServer): Router {
  const r = router();
  r.use('/t/content', openCors);
  r.get('/t/content', route(async (req, res) => {
    const { key, vid, slots, popups } = checkedQuery(req.query as Record<string, unknown>);
    const answer = await content.answer(key, vid, { slots, popups });
    if (!answer) throw new HttpProblem(401, 'Unknown site key', [{ path: '?key', message: 'this site key does not exist or was revoked' }]);
    // Chosen for this visitor: no shared cache may keep it.
    res.set('Cache-Control', 'private, no-store').json(answer);
  }));
  return r;
}
