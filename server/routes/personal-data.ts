// A contact's personal data through the API: GET /contacts/:id/export (everything, as
// JSON) and DELETE /contacts/:id or POST /contacts/:id/erase (erasure, see
// engine/audience/personal-data.ts). Admin API key only, like the rest of /api.
import type { Router } from 'express';
import { router } from '../router.js';
import type { Client } from '@temporalio/client';
import type { Db } from '../../engine/storage/db.js';
import { eraseContact, exportContact } from '../../engine/audience/personal-data.js';
import { HttpProblem } from '../http-problem.js';
import type { Log } from '../../engine/ops/log.js';
import { route } from '../problem.js';
import { isUuid } from '../../engine/ops/uuid.js';

const noContact = (id: string) => new HttpProblem(404, 'Not found', [{ path: `/contacts/${id}`, message: 'no such contact' }]);

export function personalDataRouter(deps: { db: Db; temporal?: Client; log?: Log }): Router {
  const r = router();
  r.get('/:id/export', route(async (req, res) => {
    const id = String(req.params.id);
    const data = isUuid(id) ? await exportContact(deps.db, id) : undefined;
    if (!data) throw noContact(id);
    res.setHeader('content-disposition', `attachment; filename="contact-${id}.json"`);
    res.json(data);
  }));
  const erase = route(async (req, res) => {
    const id = String(req.params.id);
    const erasure = isUuid(id) ? await eraseContact({ ...deps, log: res.locals.log ?? deps.log }, id) : undefined;
    if (!erasure) throw noContact(id);
    // The audit entry says an erasure happened (its number), never whose.
    res.locals.audit = { target: { kind: 'contact', id: null }, detail: { erasureId: erasure.erasureId } };
    res.json(erasure);
  });
  r.delete('/:id', erase);
  r.post('/:id/erase', erase);
  return r;
}
