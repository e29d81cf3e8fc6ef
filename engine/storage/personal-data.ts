// Every row that names a person, for their export and their erasure: the contact and
// the anonymous contacts merged into it, read table by table, anonymised (runs, kept
// for the programs' statistics) or deleted; and the `erasures` record, which names no one.
import type pg from 'pg';
import type { Queryable } from './db.js';

/** The contact and every contact merged into it (recursively). */
export async function personIds(db: Queryable, contactId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `WITH RECURSIVE c AS (SELECT id FROM contacts WHERE id = $1 UNION SELECT k.id FROM contacts k JOIN c ON k.merged_into = c.id) SELECT id FROM c`,
    [contactId],
  );
  return rows.map((r) => r.id);
}

const rowsOf = async (db: Queryable, sql: string, ids: string[]) => (await db.query<{ row: Record<string, unknown> }>(sql, [ids])).rows.map((r) => r.row);

type Rows = Record<string, unknown>[];

/** The person's rows of every table that names them, as JSON, each in its own query (side by side on a pool). */
export async function personRows(db: Queryable, ids: string[]): Promise<{
  contacts: Rows; identities: Rows; events: Rows; messages: Rows; enrollments: Rows; segments: Rows; scoreAwards: Rows; rfmPurchases: Rows; merges: Rows; dateSchedules: Rows;
}> {
  const [contacts, identities, events, messages, enrollments, segments, scoreAwards, rfmPurchases, merges, dateSchedules] = await Promise.all([
    rowsOf(db, 'SELECT to_jsonb(c) AS row FROM contacts c WHERE id = ANY($1) ORDER BY created_at', ids),
    rowsOf(db, 'SELECT to_jsonb(i) AS row FROM contact_identities i WHERE contact_id = ANY($1) ORDER BY created_at', ids),
    rowsOf(db, 'SELECT to_jsonb(e) AS row FROM events e WHERE contact_id = ANY($1) ORDER BY occurred_at, received_at', ids),
    rowsOf(db, 'SELECT to_jsonb(m) AS row FROM messages m WHERE contact_id = ANY($1) ORDER BY created_at', ids),
    rowsOf(db, `SELECT to_jsonb(e) || jsonb_build_object('programName', p.name, 'visits',
                  COALESCE((SELECT jsonb_agg(to_jsonb(v) ORDER BY v.entered_at) FROM node_visits v WHERE v.enrollment_id = e.id), '[]')) AS row
                FROM enrollments e JOIN programs p ON p.id = e.program_id WHERE e.contact_id = ANY($1) ORDER BY e.entered_at`, ids),
    rowsOf(db, `SELECT jsonb_build_object('segmentId', s.id, 'segment', s.name, 'enteredAt', m.entered_at) AS row
                FROM segment_members m JOIN segments s ON s.id = m.segment_id WHERE m.contact_id = ANY($1)`, ids),
    rowsOf(db, 'SELECT to_jsonb(a) AS row FROM score_awards a WHERE contact_id = ANY($1) ORDER BY awarded_at', ids),
    rowsOf(db, 'SELECT to_jsonb(r) AS row FROM rfm_purchases r WHERE contact_id = ANY($1) ORDER BY occurred_at', ids),
    rowsOf(db, 'SELECT to_jsonb(m) AS row FROM contact_merges m WHERE merged_id = ANY($1) OR survivor_id = ANY($1) ORDER BY merged_at', ids),
    rowsOf(db, 'SELECT to_jsonb(d) AS row FROM date_schedule d WHERE contact_id = ANY($1)', ids),
  ]);
  return { contacts, identities, events, messages, enrollments, segments, scoreAwards, rfmPurchases, merges, dateSchedules };
}

/** What a send that went to a file (no SMTP server, no SMS provider) recorded: where the file is. */
export interface SentResponse {
  channel: string;
  response: { response?: string; file?: string } | null;
}

/**
 * Deletes every row that names the person, in the caller's transaction; returns the
 * count per table, the runs anonymised (and whether each was still active), and the
 * responses of their email and SMS sends (read before the messages go).
 */
export async function erasePersonRows(tx: pg.PoolClient, ids: string[]): Promise<{ counts: Record<string, number>; enrollments: { id: string; wasActive: boolean }[]; sent: SentResponse[] }> {
  const counts: Record<string, number> = {};
  const run = async (name: string, sql: string, params: unknown[] = [ids]) => {
    const r = await tx.query(sql, params);
    counts[name] = (counts[name] ?? 0) + (r.rowCount ?? 0);
    return r;
  };
  // The outbox first: it waits for a dispatcher holding these rows, before this
  // transaction holds a lock the dispatcher would need (the contact row).
  await run('outbox', 'DELETE FROM outbox WHERE event_id IN (SELECT id FROM events WHERE contact_id = ANY($1))');
  const ended = await tx.query<{ id: string; was_active: boolean }>(
    `UPDATE enrollments e SET status = CASE WHEN e.status = 'active' THEN 'exited' ELSE e.status END,
            exit_reason = CASE WHEN e.status = 'active' THEN 'erased' ELSE e.exit_reason END,
            ended_at = COALESCE(e.ended_at, now()), contact_id = NULL, trigger_event_id = NULL, key = ''
     FROM (SELECT id, status FROM enrollments WHERE contact_id = ANY($1) FOR UPDATE) old
     WHERE e.id = old.id RETURNING e.id, old.status = 'active' AS was_active`,
    [ids],
  );
  const enrollmentIds = ended.rows.map((r) => r.id);
  counts.enrollmentsAnonymised = enrollmentIds.length;
  counts.enrollmentsEnded = ended.rows.filter((r) => r.was_active).length;
  // Visits stay for the program's statistics; none is left waiting, and errors may quote the person.
  await tx.query(
    `UPDATE node_visits SET status = CASE WHEN status IN ('active', 'waiting') THEN 'completed' ELSE status END,
            left_at = COALESCE(left_at, now()), wake_at = NULL, error = CASE WHEN error IS NULL THEN NULL ELSE '(erased)' END
     WHERE enrollment_id = ANY($1)`,
    [enrollmentIds],
  );
  await tx.query('UPDATE enrollments SET trigger_event_id = NULL WHERE trigger_event_id IN (SELECT id FROM events WHERE contact_id = ANY($1))', [ids]);
  const sent = await tx.query<SentResponse>(
    "SELECT channel, response FROM messages WHERE (contact_id = ANY($1) OR enrollment_id = ANY($2)) AND channel IN ('email', 'sms') AND response IS NOT NULL",
    [ids, enrollmentIds],
  );
  await run('messages', 'DELETE FROM messages WHERE contact_id = ANY($1) OR enrollment_id = ANY($2)', [ids, enrollmentIds]);
  await run('scoreAwards', 'DELETE FROM score_awards WHERE contact_id = ANY($1) OR event_id IN (SELECT id FROM events WHERE contact_id = ANY($1))');
  await run('rfmPurchases', 'DELETE FROM rfm_purchases WHERE contact_id = ANY($1) OR event_id IN (SELECT id FROM events WHERE contact_id = ANY($1))');
  await run('rfmDue', 'DELETE FROM rfm_due WHERE contact_id = ANY($1)');
  await run('dateSchedule', 'DELETE FROM date_schedule WHERE contact_id = ANY($1)');
  await run('segmentMemberships', 'DELETE FROM segment_members WHERE contact_id = ANY($1)');
  await run('segmentRechecks', 'DELETE FROM segment_rechecks WHERE contact_id = ANY($1)');
  await run('identities', 'DELETE FROM contact_identities WHERE contact_id = ANY($1)');
  await run('merges', 'DELETE FROM contact_merges WHERE merged_id = ANY($1) OR survivor_id = ANY($1)');
  await run('events', 'DELETE FROM events WHERE contact_id = ANY($1)');
  // The audit log keeps its entries (append-only), no longer naming the person.
  await run('auditLinks', 'DELETE FROM audit_contacts WHERE contact_id = ANY($1)');
  await tx.query('UPDATE contacts SET merged_into = NULL WHERE id = ANY($1)', [ids]);
  await run('contacts', 'DELETE FROM contacts WHERE id = ANY($1)');
  return { counts, enrollments: ended.rows.map((r) => ({ id: r.id, wasActive: r.was_active })), sent: sent.rows };
}

/** Ends the person's active runs (marked erased); returns how many. */
export async function endActiveRuns(db: Queryable, ids: string[]): Promise<number> {
  const ended = await db.query("UPDATE enrollments SET status = 'exited', exit_reason = 'erased', ended_at = now() WHERE contact_id = ANY($1) AND status = 'active'", [ids]);
  return ended.rowCount ?? 0;
}

/** The person's runs, and whether each was ended by an erasure. */
export async function runsOf(db: Queryable, ids: string[]): Promise<{ id: string; erased: boolean }[]> {
  return (await db.query<{ id: string; erased: boolean }>("SELECT id, exit_reason IS NOT DISTINCT FROM 'erased' AS erased FROM enrollments WHERE contact_id = ANY($1)", [ids])).rows;
}

export async function recordErasure(db: Queryable, counts: Record<string, number>): Promise<{ id: string; erased_at: Date }> {
  const { rows } = await db.query<{ id: string; erased_at: Date }>('INSERT INTO erasures (counts) VALUES ($1) RETURNING id, erased_at', [JSON.stringify(counts)]);
  return rows[0]!;
}
