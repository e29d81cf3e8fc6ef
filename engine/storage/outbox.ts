// The outbox: stored events waiting to be dispatched to programs, claimed in batches
// (FOR UPDATE SKIP LOCKED, so several dispatchers share it) and removed once handled.
import type { Queryable } from './db.js';
import type { EventRow } from './events.js';

export type ClaimedRow = EventRow & { outbox_id: number; attempts: number; earlier: number; queue_contact: string };

/**
 * Up to `limit` due rows, oldest first, with their events. `earlier`: how many of the
 * contact's events before this one are still due (counted up to limit + 1), so a
 * dispatcher can tell whether another one holds some of this contact's earlier events.
 */
export async function claimDue(tx: Queryable, limit: number): Promise<ClaimedRow[]> {
  const { rows } = await tx.query<ClaimedRow>(
    `SELECT o.id AS outbox_id, o.attempts, o.contact_id AS queue_contact, e.*,
       (SELECT count(*) FROM (SELECT 1 FROM outbox p WHERE p.contact_id = o.contact_id AND p.id < o.id AND p.not_before <= now() LIMIT ${limit + 1}) p)::int AS earlier
     FROM outbox o JOIN events e ON e.id = o.event_id
     WHERE o.not_before <= now() ORDER BY o.id LIMIT ${limit} FOR UPDATE OF o SKIP LOCKED`,
  );
  return rows;
}

export async function removeHandled(tx: Queryable, outboxIds: number[]): Promise<void> {
  if (outboxIds.length) await tx.query('DELETE FROM outbox WHERE id = ANY($1)', [outboxIds]);
}

/** Tried again after `delaySeconds`, with the error kept for whoever looks. */
export async function retryLater(tx: Queryable, outboxId: number, error: string, delaySeconds: number): Promise<void> {
  await tx.query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2, not_before = now() + make_interval(secs => $3) WHERE id = $1`, [outboxId, error, delaySeconds]);
}

/** Each event's contact as it is now (an identity merge may have moved it since it was stored). */
export async function contactsOfEvents(db: Queryable, eventIds: string[]): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; contact_id: string }>('SELECT id, contact_id FROM events WHERE id = ANY($1)', [eventIds]);
  return new Map(rows.map((r) => [r.id, r.contact_id]));
}
