// Comments grouped as the screens show them: threads (a first comment and its replies)
// on the program or on one node, and the @mentions a comment's text still names.
import type { ProgramComment } from '../api.js';

export interface Thread { first: ProgramComment; replies: ProgramComment[] }

/** Threads about `nodeId` (null: the program as a whole), oldest first. */
export function threadsOf(comments: ProgramComment[], nodeId: string | null): Thread[] {
  const threads = comments.filter((c) => !c.threadId && c.nodeId === nodeId).map((first) => ({ first, replies: [] as ProgramComment[] }));
  const byId = new Map(threads.map((t) => [t.first.id, t]));
  for (const c of comments) if (c.threadId) byId.get(c.threadId)?.replies.push(c);
  return threads;
}

/** Comments still standing on each node, for the canvas badges. */
export function countsByNode(comments: ProgramComment[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of comments) if (c.nodeId && !c.deletedAt) out.set(c.nodeId, (out.get(c.nodeId) ?? 0) + 1);
  return out;
}

/** The people picked while writing whose "@Name" is still in the text (a name typed over is no mention). */
export function mentionsIn(body: string, picked: { id: string; name: string }[]): string[] {
  return [...new Set(picked.filter((p) => body.includes(`@${p.name}`)).map((p) => p.id))];
}

/** The "@partial" being typed just before the cursor, if any: what the mention list filters by. */
export function mentionQuery(body: string, cursor: number): string | undefined {
  const m = /(?:^|\s)@([^\s@]{0,40})$/.exec(body.slice(0, cursor));
  return m ? m[1] : undefined;
}
