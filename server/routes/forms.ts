// /api/forms: create, list, read, change and archive forms (bearer key); a form's
// submissions, newest first, and its views, submissions and conversion per day.
import type { Router } from 'express';
import { router } from '../router.js';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import { FormInput, archiveForm, formProblems, getForm, insertForm, listForms, updateForm } from '../../engine/audience/forms.js';
import { formStats, listFormSubmissions } from '../../engine/storage/form-stats.js';
import { intParam, parseBody } from '../input.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { route } from '../problem.js';
import { isUuid } from '../../engine/ops/uuid.js';

const unknown = (id: string) => new HttpProblem(404, 'Unknown form', [{ path: '/id', message: `no form has id ${id}` }]);

function checked(body: unknown): FormInput {
  const form = parseBody(FormInput, body);
  const problems = formProblems(form);
  if (problems.length) throw new HttpProblem(422, 'Invalid form', problems);
  return form;
}

function formId(raw: string): string {
  if (!isUuid(raw)) throw unknown(raw);
  return raw;
}

export function formsRouter(db: Db): Router {
  const r = router();
  r.get('/', route(async (_req, res) => void res.json({ forms: await listForms(db) })));
  r.post('/', route(async (req, res) => {
    const form = await insertForm(db, checked(req.body));
    res.status(201).location(`/api/forms/${form.id}`).json(form);
  }));
  r.get('/:id', route(async (req, res) => {
    const form = await getForm(db, formId(String(req.params.id)));
    if (!form) throw unknown(String(req.params.id));
    res.json(form);
  }));
  r.put('/:id', route(async (req, res) => {
    const id = formId(String(req.params.id));
    const form = await updateForm(db, id, checked(req.body));
    if (!form) throw unknown(id);
    res.json(form);
  }));
  r.get('/:id/submissions', route(async (req, res) => {
    const id = formId(String(req.params.id));
    const limit = intParam(req.query.limit, 'limit', { min: 1, max: 200, fallback: 50 });
    const after = decodeCursor(req.query.after, 'after');
    if (!(await getForm(db, id))) throw unknown(id);
    const page = await listFormSubmissions(db, id, { after, limit });
    res.set('Cache-Control', 'no-store').json({ submissions: page.submissions, next: page.next ? encodeCursor(page.next) : null });
  }));
  r.get('/:id/stats', route(async (req, res) => {
    const id = formId(String(req.params.id));
    const days = intParam(req.query.days, 'days', { min: 1, max: 90, fallback: 30 });
    if (!(await getForm(db, id))) throw unknown(id);
    res.set('Cache-Control', 'no-store').json(await formStats(db, id, days));
  }));
  r.delete('/:id', route(async (req, res) => {
    const id = formId(String(req.params.id));
    if (!(await archiveForm(db, id))) throw unknown(id);
    res.status(204).end();
  }));
  return r;
}
