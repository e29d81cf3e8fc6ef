// GET /api/messages: every message sent or tried, newest first; ?q= (recipient or
// subject), ?status=, ?channel=, ?program=; paged by ?before= (the `next` of the page before).
import type { Router } from 'express';
import { router } from '../router.js';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import { listMessages } from '../../engine/storage/messages.js';
import { isUuid } from '../../engine/ops/uuid.js';
import { intParam } from '../input.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { route } from '../problem.js';

export const MESSAGE_STATUSES = ['sending', 'sent', 'failed', 'skipped'] as const;

export function messagesRouter(db: Db): Router {
  const r = router();
  r.get('/', route(async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const text = (name: string) => (typeof q[name] === 'string' && q[name] ? (q[name] as string) : undefined);
    const status = text('status');
    if (status && !(MESSAGE_STATUSES as readonly string[]).includes(status)) throw new HttpProblem(400, 'Invalid query parameter', [{ path: '?status', message: `one of ${MESSAGE_STATUSES.join(', ')}` }]);
    const program = text('program');
    if (program && !isUuid(program)) throw new HttpProblem(400, 'Invalid query parameter', [{ path: '?program', message: 'a program id' }]);
    const limit = intParam(q.limit, 'limit', { min: 1, max: 200, fallback: 50 });
    const page = await listMessages(db, { q: text('q'), status, channel: text('channel'), programId: program, before: decodeCursor(q.before, 'before'), limit });
    res.json({ messages: page.messages, next: page.next ? encodeCursor(page.next) : null });
  }));
  return r;
}
