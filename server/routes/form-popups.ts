// /api/forms/:id/popup: whether and how t.js shows a form by itself on the customer's
// site — as a modal or a slide-in, on exit intent, scroll depth, time on page or the
// N-th page view, to chosen segments, left alone for N days after a close or a submit.
// Answers `{popup}`, null for a form that is not a pop-up: that is a state of the form,
// not a missing resource (the form's screen asks it for every form).
import type { Router } from 'express';
import { router } from '../router.js';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import { getForm } from '../../engine/audience/forms.js';
import { PopupInput, popupProblems } from '../../engine/delivery/form-popups.js';
import { deletePopup, getPopup, liveSegmentKeys, savePopup } from '../../engine/storage/form-popups.js';
import type { ContentServer } from '../../engine/delivery/website-content.js';
import { parseBody } from '../input.js';
import { route } from '../problem.js';
import { isUuid } from '../../engine/ops/uuid.js';

async function formIn(db: Db, raw: string): Promise<string> {
  if (!isUuid(raw) || !(await getForm(db, raw))) throw new HttpProblem(404, 'Unknown form', [{ path: '/id', message: `no form has id ${raw}` }]);
  return raw;
}
const none = (id: string) => new HttpProblem(404, 'No pop-up', [{ path: '/id', message: `form ${id} is not shown as a pop-up` }]);

export function formPopupsRouter(db: Db, content: ContentServer): Router {
  const r = router({ mergeParams: true });
  r.get('/', route(async (req, res) => {
    const id = await formIn(db, String(req.params.id));
    res.json({ popup: (await getPopup(db, id)) ?? null });
  }));
  r.put('/', route(async (req, res) => {
    const id = await formIn(db, String(req.params.id));
    const input = parseBody(PopupInput, req.body);
    const problems = popupProblems(input, await liveSegmentKeys(db));
    if (problems.length) throw new HttpProblem(422, 'Invalid pop-up', problems);
    const popup = await savePopup(db, id, input);
    content.forget();
    res.json({ popup });
  }));
  r.delete('/', route(async (req, res) => {
    const id = await formIn(db, String(req.params.id));
    if (!(await deletePopup(db, id))) throw none(id);
    content.forget();
    res.status(204).end();
  }));
  return r;
}
