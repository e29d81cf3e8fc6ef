// /api/site-keys: create, list and revoke the public keys of tracking snippets.
import type { Router } from 'express';
import { router } from '../router.js';
import { Type } from '@sinclair/typebox';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import { createSiteKey, listSiteKeys, revokeSiteKey } from '../../engine/access/site-keys.js';
import { parseBody } from '../input.js';
import { route } from '../problem.js';
import { isUuid } from '../../engine/ops/uuid.js';

export const SiteKeyInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'Which site uses it, e.g. www.example.com' }),
    domains: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9.-]{1,253}$' }), { maxItems: 20, uniqueItems: true, description: 'Host names of the site: clicks on email links to them identify the browser' })),
  },
  { additionalProperties: false },
);

export function siteKeysRouter(db: Db): Router {
  const r = router();
  r.get('/', route(async (_req, res) => void res.json({ siteKeys: await listSiteKeys(db) })));
  r.post('/', route(async (req, res) => {
    const { name, domains } = parseBody(SiteKeyInput, req.body);
    const key = await createSiteKey(db, name, domains);
    res.status(201).location(`/api/site-keys/${key.id}`).json(key);
  }));
  r.delete('/:id', route(async (req, res) => {
    const id = String(req.params.id);
    const revoked = isUuid(id) ? await revokeSiteKey(db, id) : undefined;
    if (!revoked) throw new HttpProblem(404, 'Unknown site key', [{ path: '/id', message: `no site key has id ${id}` }]);
    res.json(revoked);
  }));
  return r;
}
