// Every message Tend sent or tried to send, newest first, searched and paged by a
// keyset cursor (the Messages screen).
import type { Queryable } from './db.js';

export interface SentMessage {
  id: string;
  channel: string;
  status: string;
  recipient: string | null;
  subject: string | null;
  reason: string | null;
  contactId: string | null;
  programId: string | null;
  programName: string | null;
  nodeId: string | null;
  createdAt: string;
  sentAt: string | null;
  openedAt: string | null;
  clickedAt: string | null;
}

export interface MessageFilter { q?: string; status?: string; channel?: string; programId?: string; before?: [string, string]; limit: number }

interface Row { id: string; channel: string; status: string; recipient: string | null; subject: string | null; reason: string | null; contact_id: string | null; program_id: string | null; program_name: string | null; node_id: string | null; created_at: Date; sent_at: Date | null; first_opened_at: Date | null; first_clicked_at: Date | null; cursor_at: string }

/** Newest first; `before` is the last row's (created_at, id) of the page before. Returns the page and the cursor for the next. */
export async function listMessages(db: Queryable, f: MessageFilter): Promise<{ messages: SentMessage[]; next: [string, string] | null }> {
  const params: unknown[] = [];
  const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
  const where: string[] = [];
  if (f.q) {
    const like = p(`%${f.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
    where.push(`(m.recipient ILIKE ${like} OR m.subject ILIKE ${like})`);
  }
  if (f.status) where.push(`m.status = ${p(f.status)}`);
  if (f.channel) where.push(`m.channel = ${p(f.channel)}`);
  if (f.programId) where.push(`m.program_id = ${p(f.programId)}::uuid`);
  if (f.before) where.push(`(m.created_at, m.id) < (${p(f.before[0])}::timestamptz, ${p(f.before[1])}::uuid)`);
  const { rows } = await db.query<Row>(
    `SELECT m.id, m.channel, m.status, m.recipient, m.subject, m.reason, m.contact_id, m.program_id, pr.name AS program_name, m.node_id,
            m.created_at, m.sent_at, m.first_opened_at, m.first_clicked_at,
            to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
     FROM messages m LEFT JOIN programs pr ON pr.id = m.program_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY m.created_at DESC, m.id DESC LIMIT ${p(f.limit)}`,
    params,
  );
  const last = rows.length === f.limit ? rows.at(-1) : undefined;
  return {
    messages: rows.map((r) => ({
      id: r.id, channel: r.channel, status: r.status, recipient: r.recipient, subject: r.subject, reason: r.reason, contactId: r.contact_id,
      programId: r.program_id, programName: r.program_name, nodeId: r.node_id, createdAt: r.created_at.toISOString(), sentAt: r.sent_at?.toISOString() ?? null,
      openedAt: r.first_opened_at?.toISOString() ?? null, clickedAt: r.first_clicked_at?.toISOString() ?? null,
    })),
    next: last ? [last.cursor_at, last.id] : null,
  };
}
