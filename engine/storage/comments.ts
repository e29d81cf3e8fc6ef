// Comments on programs and their nodes, and who has a program open (migration 160).
import type { Queryable } from './db.js';

export interface CommentAuthor { kind: 'user' | 'key'; id: string | null; name: string }

export interface Comment {
  id: string;
  programId: string;
  /** The node it is about, or null for the program as a whole. */
  nodeId: string | null;
  /** The thread's first comment, for a reply; null for a thread's first comment. */
  threadId: string | null;
  author: CommentAuthor;
  /** Empty once deleted. */
  body: string;
  mentions: { id: string; name: string }[];
  createdAt: string;
  deletedAt: string | null;
}

interface CommentRow {
  id: string; program_id: string; node_id: string | null; thread_id: string | null; author_kind: 'user' | 'key'; author_id: string | null;
  author_name: string; body: string; mentions: { id: string; name: string }[] | null; created_at: Date; deleted_at: Date | null;
}

const toComment = (r: CommentRow): Comment => ({
  id: r.id, programId: r.program_id, nodeId: r.node_id, threadId: r.thread_id, author: { kind: r.author_kind, id: r.author_id, name: r.author_name },
  body: r.deleted_at ? '' : r.body, mentions: r.deleted_at ? [] : r.mentions ?? [], createdAt: r.created_at.toISOString(), deletedAt: r.deleted_at?.toISOString() ?? null,
});

const SELECT = `SELECT c.*, (SELECT coalesce(json_agg(json_build_object('id', u.id, 'name', u.name) ORDER BY u.name), '[]') FROM users u WHERE u.id = ANY (c.mentions)) AS mentions
  FROM program_comments c`;

/** Oldest first: the editor groups them into threads. */
export async function listComments(db: Queryable, programId: string): Promise<Comment[]> {
  return (await db.query<CommentRow>(`${SELECT} WHERE c.program_id = $1 ORDER BY c.created_at, c.id`, [programId])).rows.map(toComment);
}

export async function getComment(db: Queryable, programId: string, id: string): Promise<Comment | undefined> {
  const row = (await db.query<CommentRow>(`${SELECT} WHERE c.program_id = $1 AND c.id = $2`, [programId, id])).rows[0];
  return row ? toComment(row) : undefined;
}

export async function addComment(db: Queryable, c: { programId: string; nodeId: string | null; threadId: string | null; author: CommentAuthor; body: string; mentions: string[] }): Promise<Comment> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO program_comments (program_id, node_id, thread_id, author_kind, author_id, author_name, body, mentions) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id',
    [c.programId, c.nodeId, c.threadId, c.author.kind, c.author.id, c.author.name, c.body, c.mentions],
  );
  return (await getComment(db, c.programId, rows[0]!.id))!;
}

export async function deleteComment(db: Queryable, programId: string, id: string): Promise<void> {
  await db.query('UPDATE program_comments SET deleted_at = coalesce(deleted_at, now()) WHERE program_id = $1 AND id = $2', [programId, id]);
}

/** People who may be mentioned: every account that can sign in. */
export async function mentionable(db: Queryable): Promise<{ id: string; name: string; email: string }[]> {
  return (await db.query<{ id: string; name: string; email: string }>('SELECT id, name, email FROM users WHERE disabled_at IS NULL ORDER BY name, id')).rows;
}

/** An editor open on a program said it is still there. */
export async function touchPresence(db: Queryable, programId: string, who: string, name: string): Promise<void> {
  await db.query(
    `INSERT INTO program_presence (program_id, who, name) VALUES ($1, $2, $3)
     ON CONFLICT (program_id, who) DO UPDATE SET name = EXCLUDED.name, seen_at = now(),
       opened_at = CASE WHEN program_presence.seen_at < now() - interval '1 minute' THEN now() ELSE program_presence.opened_at END`,
    [programId, who, name],
  );
}

export async function leavePresence(db: Queryable, programId: string, who: string): Promise<void> {
  await db.query('DELETE FROM program_presence WHERE program_id = $1 AND who = $2', [programId, who]);
}

/** Who else has the program open: seen within the last minute. */
export async function presentOn(db: Queryable, programId: string, except: string): Promise<{ name: string; since: string }[]> {
  const { rows } = await db.query<{ name: string; opened_at: Date }>(
    "SELECT name, opened_at FROM program_presence WHERE program_id = $1 AND who <> $2 AND seen_at > now() - interval '1 minute' ORDER BY opened_at, who",
    [programId, except],
  );
  return rows.map((r) => ({ name: r.name, since: r.opened_at.toISOString() }));
}
