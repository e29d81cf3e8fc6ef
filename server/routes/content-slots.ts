// /api/content-slots: the website's content slots — create, list, read, change and
// archive them, and each variant's impressions and clicks. Variant HTML is cleaned to
// the allow-list on save (engine/delivery/content-html.ts), and the answer carries what was kept.
import type { Router } from 'express';
import { router } from '../router.js';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import { ContentSlotInput, contentSlotProblems } from '../../engine/delivery/content-slots.js';
import { cleanContentHtml } from '../../engine/delivery/content-html.js';
import { archiveContentSlot, contentSlotStats, getContentSlot, insertContentSlot, listContentSlots, updateContentSlot } from '../../engine/storage/content-slots.js';
import type { ContentServer } from '../../engine/delivery/website-content.js';
import { intParam, parseBody } from '../input.js';
import { route } from '../problem.js';
import { isUuid } from '../../engine/ops/uuid.js';

const unknown = (id: string) => new HttpProblem(404, 'Unknown content slot', [{ path: '/id', message: `no content slot has id ${id}` }]);
const taken = (key: string) => new HttpProblem(409, 'Slot key taken', [{ path: '/key', message: `another content slot has key "${key}"` }]);

/** The body checked, its HTML cleaned: what is stored is exactly what is served. */
function checked(body: unknown): ContentSlotInput {
  const slot = parseBody(ContentSlotInput, body);
  const problems = contentSlotProblems(slot);
  if (problems.length) throw new HttpProblem(422, 'Invalid content slot', problems);
  return {
    ...slot,
    defaultHtml: slot.defaultHtml == null ? null : cleanContentHtml(slot.defaultHtml),
    variants: slot.variants.map((v) => ({ ...v, html: cleanContentHtml(v.html) })),
  };
}

function slotId(raw: string): string {
  if (!isUuid(raw)) throw unknown(raw);
  return raw;
}

export function contentSlotsRouter(db: Db, content: ContentServer): Router {
  const r = router();
  r.get('/', route(async (_req, res) => void res.json({ contentSlots: await listContentSlots(db) })));
  r.post('/', route(async (req, res) => {
    const input = checked(req.body);
    const slot = await insertContentSlot(db, input);
    if (slot === 'key taken') throw taken(input.key);
    content.forget();
    res.status(201).location(`/api/content-slots/${slot.id}`).json(slot);
  }));
  r.get('/:id', route(async (req, res) => {
    const slot = await getContentSlot(db, slotId(String(req.params.id)));
    if (!slot) throw unknown(String(req.params.id));
    res.json(slot);
  }));
  r.put('/:id', route(async (req, res) => {
    const id = slotId(String(req.params.id));
    const input = checked(req.body);
    const slot = await updateContentSlot(db, id, input);
    if (slot === 'missing') throw unknown(id);
    if (slot === 'key taken') throw taken(input.key);
    content.forget();
    res.json(slot);
  }));
  r.get('/:id/stats', route(async (req, res) => {
    const id = slotId(String(req.params.id));
    const days = intParam(req.query.days, 'days', { min: 1, max: 90, fallback: 30 });
    const slot = await getContentSlot(db, id);
    if (!slot) throw unknown(id);
    res.set('Cache-Control', 'no-store').json({ days, variants: await contentSlotStats(db, slot.key, days) });
  }));
  r.delete('/:id', route(async (req, res) => {
    const id = slotId(String(req.params.id));
    if (!(await archiveContentSlot(db, id))) throw unknown(id);
    content.forget();
    res.status(204).end();
  }));
  return r;
}
