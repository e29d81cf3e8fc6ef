// Bearer-key authentication for the API. The admin key comes from TEND_API_KEY or
// is generated on first start and kept in the settings table.
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpProblem } from '../engine/errors.js';
import { setting } from '../engine/signing.js';
import type { Queryable } from '../engine/storage/db.js';

export async function resolveApiKey(db: Queryable, configured?: string): Promise<string> {
  if (configured) return configured;
  return setting(db, 'api_key', () => `tend_${crypto.randomBytes(24).toString('base64url')}`);
}

export function requireApiKey(key: string): RequestHandler {
  const expected = crypto.createHash('sha256').update(key).digest();
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    const given = crypto.createHash('sha256').update(m?.[1]?.trim() ?? '').digest();
    if (!m || !crypto.timingSafeEqual(given, expected)) {
      return next(new HttpProblem(401, 'Unauthorized', [{ path: '/headers/authorization', message: 'send Authorization: Bearer <API key>' }]));
    }
    next();
  };
}
