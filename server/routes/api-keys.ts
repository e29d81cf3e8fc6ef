// /api/keys: create, list and revoke scoped API keys (admin only, see server/scopes.ts).
import type { Router } from 'express';
import { router } from '../router.js';
import { Type } from '@sinclair/typebox';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../../engine/access/api-keys.js';
import { parseBody } from '../input.js';
import { route } from '../problem.js';
import { isUuid } from '../../engine/ops/uuid.js';

export const ApiKeyInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'Who or what uses it, e.g. ci' }),
    scope: Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('admin')], { description: 'read: look only; write: change programs, contacts, events and settings; admin: also manage keys' }),
  },
  { additionalProperties: false },
);

export function apiKeysRouter(db: Db): Router {
  const r = router();
  r.get('/', route(async (_req, res) => void res.json({ keys: await listApiKeys(db) })));
  r.post('/', route(async (req, res) => {
    const { name, scope } = parseBody(ApiKeyInput, req.body);
    const key = await createApiKey(db, name, scope);
    res.status(201).location(`/api/keys/${key.id}`).set('Cache-Control', 'no-store').json(key);
  }));
  r.delete('/:id', route(async (req, res) => {
    const id = String(req.params.id);
    const revoked = isUuid(id) ? await revokeApiKey(db, id) : undefined;
    if (!revoked) throw new HttpProblem(404, 'Unknown API key', [{ path: '/id', message: `no API key has id ${id}` }]);
    res.json(revoked);
  }));
  return r;
}
