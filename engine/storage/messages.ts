// Every message Tend sent or tried to send (`messages`): claimed under a send's
// idempotency key, its answer recorded, the marketing ones counted for frequency caps;
// and the list of them, newest first, searched and paged by a keyset cursor (the
// Messages screen).
import type { Queryable } from './db.js';

/** How a send held by the channel's sending ceiling begins its reason (the canvas counts these as queued). */
export const CEILING_REASON = 'sending ceiling';

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

// A message's row as the send that claimed it under its idempotency key sees it.
export interface ClaimedMessage {
  id: string;
  status: 'sending' | 'sent' | 'failed' | 'skipped' | 'deferred';
  reason: string | null;
  deferred_until: Date | null;
  /** The message's tracked links are stored (with the row, when it was claimed to be sent). */
  has_links: boolean;
}

/** The message an earlier attempt claimed under `key`, counted as tried once more. */
export async function findClaimedMessage(tx: Queryable, key: string): Promise<ClaimedMessage | undefined> {
  const existing = await tx.query<ClaimedMessage>('SELECT id, status, reason, deferred_until, links IS NOT NULL AS has_links FROM messages WHERE idempotency_key = $1', [key]);
  if (existing.rows[0]) await tx.query('UPDATE messages SET attempts = attempts + 1 WHERE id = $1', [existing.rows[0].id]);
  return existing.rows[0];
}

export interface MessageClaim {
  id: string;
  key: string;
  channel: string;
  contactId: string;
  enrollmentId: string | null;
  programId: string | null;
  nodeId: string | null;
  recipient: string | null;
  subject: string | null;
  status: 'sending' | 'skipped' | 'deferred';
  reason: string | null;
  marketing: boolean;
  deferredUntil: string | Date | null;
  topic: string | null;
  /** Stored only when the message is claimed to be sent. */
  links: string[] | undefined;
}

export async function insertClaimedMessage(tx: Queryable, m: MessageClaim): Promise<ClaimedMessage> {
  const { rows } = await tx.query<ClaimedMessage>(
    `INSERT INTO messages (idempotency_key, channel, contact_id, enrollment_id, program_id, node_id, recipient, subject, status, reason, marketing, deferred_until, topic, id, links)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, CASE WHEN $9 = 'sending' THEN $15::jsonb END)
     RETURNING id, status, reason, deferred_until, links IS NOT NULL AS has_links`,
    [m.key, m.channel, m.contactId, m.enrollmentId, m.programId, m.nodeId, m.recipient, m.subject, m.status,
      m.reason, m.marketing, m.deferredUntil, m.topic, m.id, m.links ? JSON.stringify(m.links) : null],
  );
  return rows[0]!;
}

/** Why the last try of a message still `sending` got no answer. */
export async function noteMessageReason(db: Queryable, id: string, reason: string): Promise<void> {
  await db.query("UPDATE messages SET reason = $2 WHERE id = $1 AND status = 'sending'", [id, reason]);
}

export async function setMessageConnected(db: Queryable, id: string, connected: unknown): Promise<void> {
  await db.query('UPDATE messages SET connected = $2 WHERE id = $1', [id, JSON.stringify(connected)]);
}

export async function setMessageLinks(db: Queryable, id: string, links: string[]): Promise<void> {
  await db.query('UPDATE messages SET links = $2 WHERE id = $1', [id, JSON.stringify(links)]);
}

export async function markMessageSent(db: Queryable, id: string, response: unknown): Promise<void> {
  await db.query("UPDATE messages SET status = 'sent', sent_at = now(), response = $2 WHERE id = $1", [id, JSON.stringify(response)]);
}

export async function markMessageFailed(db: Queryable, id: string, reason: string): Promise<void> {
  await db.query("UPDATE messages SET status = 'failed', reason = $2 WHERE id = $1", [id, reason]);
}

export interface WebhookClaim { key: string; contactId: string; enrollmentId: string | null; programId: string | null; nodeId: string | null; recipient: string }

/** A webhook call's row under its key: new and `sending`, or the earlier attempt's (tried once more), with its recorded answer. */
export async function claimWebhookMessage<R>(db: Queryable, w: WebhookClaim): Promise<{ status: string; response: R | null; id: string }> {
  const claimed = await db.query<{ status: string; response: R | null; id: string }>(
    `INSERT INTO messages (idempotency_key, channel, contact_id, enrollment_id, program_id, node_id, recipient, status)
     VALUES ($1, 'webhook', $2, $3, $4, $5, $6, 'sending')
     ON CONFLICT (idempotency_key) DO UPDATE SET attempts = messages.attempts + 1
     RETURNING status, response, id`,
    [w.key, w.contactId, w.enrollmentId, w.programId, w.nodeId, w.recipient],
  );
  return claimed.rows[0]!;
}

export async function recordWebhookAnswer(db: Queryable, id: string, status: 'sent' | 'failed' | 'sending', response: unknown, reason: string | null): Promise<void> {
  await db.query(
    `UPDATE messages SET status = $2, sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END, response = $3, reason = $4 WHERE id = $1`,
    [id, status, JSON.stringify(response), reason],
  );
}

/** The contact's lock on a channel until the transaction ends: two sends at once cannot both slip under a cap. */
export async function lockContactChannel(tx: Queryable, contactId: string, channel: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`cap:${contactId}:${channel}`]);
}

/** When the contact's last `max` marketing messages on the channel since `since` went (or were claimed), newest first. */
export async function recentMarketingSends(tx: Queryable, contactId: string, channel: string, since: Date, max: number): Promise<Date[]> {
  const { rows } = await tx.query<{ at: Date }>(
    `SELECT coalesce(sent_at, created_at) AS at FROM messages
     WHERE contact_id = $1 AND channel = $2 AND marketing AND status IN ('sending', 'sent') AND coalesce(sent_at, created_at) > $3
     ORDER BY at DESC LIMIT $4`,
    [contactId, channel, since, max],
  );
  return rows.map((r) => r.at);
}
