// GET /api/messages: every message sent or tried, newest first; ?q= (recipient or
// subject), ?status=, ?channel=, ?program=; paged by ?before= (the `next` of the page before).
import type { Router } from 'express';
import { router } from '../router.js';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import { listMessages } from '../../engine/storage/messages.js';
import { isUuid } from '../../engine/uuid.js';
import { intParam } from '../input.js';
import { route } from '../problem.js';

export const MESSAGE_STATUSES = ['sending', 'sent', 'failed', 'skipped'] as const;

function readCursor(raw: unknown): [string, string] | undefined {
  if (raw === undefined) return undefined;
  const bad = () => new HttpProblem(422, 'Invalid query parameter', [{ path: '?before', message: 'not a cursor this list gave (use the `next` of the page before)' }]);
  if (typeof raw !== 'string' || raw.length > 200) throw bad();
  let parsed: unknown;
  try { parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')); } catch { throw bad(); }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || !/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(parsed[0]) || typeof parsed[1] !== 'string' || !isUuid(parsed[1])) throw bad();
  return parsed as [string, string];
}

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
    const page = await listMessages(db, { q: text('q'), status, channel: text('channel'), programId: program, before: readCursor(q.before), limit });
    res.json({ messages: page.messages, next: page.next ? Buffer.from(JSON.stringify(page.next)).toString('base64url') : null });
  }));
  return r;
}
