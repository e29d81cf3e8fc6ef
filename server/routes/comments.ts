// Working together on a program: /api/flows/:id/comments (threads on the program or a
// node, @mentions that email the person) and /api/flows/:id/presence (who else has it
// open; the editor says it is there every 20 seconds).
import crypto from 'node:crypto';
import type { Router } from 'express';
import { Type } from '@sinclair/typebox';
import { router } from '../router.js';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import type { Mailer } from '../../engine/delivery/mailer.js';
import type { Log } from '../../engine/ops/log.js';
import * as programs from '../../engine/storage/programs.js';
import { addComment, deleteComment, getComment, leavePresence, listComments, mentionable, presentOn, touchPresence, type CommentAuthor } from '../../engine/storage/comments.js';
import { isUuid } from '../../engine/ops/uuid.js';
import { parseBody } from '../input.js';
import { route } from '../problem.js';
import { actorOf, grantsOf, type Caller } from '../auth.js';
import { escapeHtml } from './preferences.js';

const NodeId = Type.String({ minLength: 1, maxLength: 200 });
const Uuid = Type.String({ format: 'uuid' });
export const CommentInput = Type.Object({
  body: Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S' }),
  /** The node it is about; absent for the program as a whole. */
  nodeId: Type.Optional(NodeId),
  /** The thread it answers (that thread's first comment). */
  threadId: Type.Optional(Uuid),
  /** People named with @ in the body: each gets an email. */
  mentions: Type.Optional(Type.Array(Uuid, { maxItems: 20, uniqueItems: true })),
}, { additionalProperties: false });

export interface CommentsDeps { db: Db; mailer?: Mailer; mailFrom: string; publicUrl: () => string }

/** As the audit log names a caller, but a person by their name, not their email. */
const authorOf = (caller: Caller): CommentAuthor => (caller.kind === 'key' ? actorOf(caller) as CommentAuthor : { kind: 'user', id: caller.userId, name: caller.name });
/** One row of presence per person (or key), whatever the number of their tabs. */
const presenceKey = (caller: Caller) => (caller.kind === 'key' ? `key:${caller.keyId ?? 'env'}` : `user:${caller.userId}`);

async function programOf(db: Db, id: string) {
  const p = isUuid(id) ? await programs.getProgram(db, id) : undefined;
  if (!p) throw new HttpProblem(404, 'Unknown program', [{ path: '/id', message: `no program has id ${id}` }]);
  return p;
}

export function commentsRouter(deps: CommentsDeps): Router {
  const r = router({ mergeParams: true });
  r.get('/', route(async (req, res) => {
    const p = await programOf(deps.db, String(req.params.id));
    const people = (await mentionable(deps.db)).map(({ id, name }) => ({ id, name }));
    res.json({ comments: await listComments(deps.db, p.id), mentionable: people });
  }));
  r.post('/', route(async (req, res) => {
    const p = await programOf(deps.db, String(req.params.id));
    const input = parseBody(CommentInput, req.body);
    if (input.nodeId && !p.draft.nodes.some((n) => n.id === input.nodeId)) {
      throw new HttpProblem(422, 'Unknown node', [{ path: '/nodeId', message: `the program's draft has no node "${input.nodeId}"` }]);
    }
    let nodeId = input.nodeId ?? null;
    if (input.threadId) {
      const thread = await getComment(deps.db, p.id, input.threadId);
      if (!thread || thread.threadId) throw new HttpProblem(422, 'Unknown thread', [{ path: '/threadId', message: 'answer the first comment of a thread of this program' }]);
      nodeId = thread.nodeId; // a reply is about what its thread is about
    }
    const people = input.mentions?.length ? await mentionable(deps.db) : [];
    const named = (input.mentions ?? []).map((id, i) => {
      const who = people.find((u) => u.id === id);
      if (!who) throw new HttpProblem(422, 'Unknown person', [{ path: `/mentions/${i}`, message: `no active account has id ${id}` }]);
      return who;
    });
    const caller = res.locals.caller as Caller;
    const author = authorOf(caller);
    const comment = await addComment(deps.db, { programId: p.id, nodeId, threadId: input.threadId ?? null, author, body: input.body, mentions: named.map((u) => u.id) });
    const link = `${deps.publicUrl()}/programs/${p.id}${nodeId ? `?node=${encodeURIComponent(nodeId)}` : ''}`;
    for (const who of named) {
      if (caller.kind === 'user' && who.id === caller.userId) continue;
      // A mention that cannot be emailed still stands: the comment is stored, the failure logged.
      await deps.mailer?.send(mentionMail(deps, who.email, author.name, p.draft.name, input.body, link)).catch((err: unknown) => (res.locals.log as Log | undefined)?.warn('mention email not sent', { err }));
    }
    res.status(201).json(comment);
  }));
  r.delete('/:commentId', route(async (req, res) => {
    const p = await programOf(deps.db, String(req.params.id));
    const id = String(req.params.commentId);
    const comment = isUuid(id) ? await getComment(deps.db, p.id, id) : undefined;
    if (!comment) throw new HttpProblem(404, 'Unknown comment', [{ path: '/commentId', message: `program ${p.id} has no comment ${id}` }]);
    const caller = res.locals.caller as Caller;
    const mine = comment.author.kind === caller.kind && comment.author.id === (caller.kind === 'user' ? caller.userId : caller.keyId);
    if (!mine && !grantsOf(caller).includes('admin')) throw new HttpProblem(403, 'Forbidden', [{ path: '/commentId', message: 'only its author or an admin deletes a comment' }]);
    await deleteComment(deps.db, p.id, id);
    res.status(204).end();
  }));
  return r;
}

export function presenceRouter(db: Db): Router {
  const r = router({ mergeParams: true });
  // PUT: "I am here"; the answer is who else is.
  r.put('/', route(async (req, res) => {
    const p = await programOf(db, String(req.params.id));
    const caller = res.locals.caller as Caller;
    await touchPresence(db, p.id, presenceKey(caller), authorOf(caller).name);
    res.json({ others: await presentOn(db, p.id, presenceKey(caller)) });
  }));
  r.delete('/', route(async (req, res) => {
    const p = await programOf(db, String(req.params.id));
    await leavePresence(db, p.id, presenceKey(res.locals.caller as Caller));
    res.status(204).end();
  }));
  return r;
}

const mentionMail = (deps: CommentsDeps, to: string, by: string, program: string, body: string, link: string) => ({
  from: deps.mailFrom, to, subject: `${by} mentioned you on “${program}”`, messageId: `<mention-${crypto.randomUUID()}@tend>`, headers: {},
  text: `${by} wrote on “${program}”:\n\n${body}\n\nOpen it: ${link}`,
  html: `<p>${escapeHtml(by)} wrote on “${escapeHtml(program)}”:</p><blockquote>${escapeHtml(body).replace(/\n/g, '<br>')}</blockquote><p><a href="${escapeHtml(link)}">Open the program</a></p>`,
});
