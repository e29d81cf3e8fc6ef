// RFM's stored facts: the purchases copied from the timeline (`rfm_purchases`), the
// queue of contacts whose scores time may change (`rfm_due`), and the per-contact lock
// that keeps a purchase and a re-check from scoring one contact at once.
import type pg from 'pg';
import type { Queryable } from './db.js';

/** A purchase value in SQL, as `purchaseValue` reads it in JS: a JSON number or a plain numeric string, else 0. */
const SQL_VALUE = `CASE WHEN properties #>> $2::text[] ~ '^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$' THEN (properties #>> $2::text[])::numeric ELSE 0 END`;

const lockKey = (contactId: string) => `rfm:${contactId}`;

export async function lockRfm(tx: pg.PoolClient, contactId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey(contactId)]);
}

/** The contact's RFM lock if free; false when a purchase being scored holds it. */
export async function tryLockRfm(tx: pg.PoolClient, contactId: string): Promise<boolean> {
  const { rows: [got] } = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok', [lockKey(contactId)]);
  return Boolean(got?.ok);
}

export async function clearRfmQueue(tx: Queryable): Promise<void> {
  await tx.query('DELETE FROM rfm_due');
}

/** Every purchaser is due now. */
export async function queueAllPurchasers(tx: Queryable): Promise<void> {
  await tx.query(`INSERT INTO rfm_due (contact_id, due_at) SELECT DISTINCT contact_id, now() FROM rfm_purchases
                   ON CONFLICT (contact_id) DO UPDATE SET due_at = EXCLUDED.due_at`);
}

/** Copies the purchases anew from the timeline: events of this type, valued at this path. */
export async function rereadPurchases(tx: Queryable, eventType: string, valuePath: string[]): Promise<void> {
  await tx.query('DELETE FROM rfm_purchases');
  await tx.query(`INSERT INTO rfm_purchases (event_id, contact_id, occurred_at, value) SELECT id, contact_id, occurred_at, ${SQL_VALUE} FROM events WHERE type = $1`,
    [eventType, valuePath]);
}

/** A contact's purchase facts: the latest ever; count, total and oldest since `since`. */
export async function purchaseFacts(tx: Queryable, contactId: string, since: Date): Promise<{ last_at: Date | null; count: number; total: string; oldest: Date | null } | undefined> {
  const { rows: [f] } = await tx.query<{ last_at: Date | null; count: number; total: string; oldest: Date | null }>(
    `SELECT max(occurred_at) AS last_at, count(*) FILTER (WHERE occurred_at > $2)::int AS count,
            coalesce(sum(value) FILTER (WHERE occurred_at > $2), 0)::text AS total, min(occurred_at) FILTER (WHERE occurred_at > $2) AS oldest
     FROM rfm_purchases WHERE contact_id = $1`,
    [contactId, since],
  );
  return f;
}

/** A re-dispatched event finds its row: nothing is stored twice. */
export async function recordPurchase(tx: Queryable, p: { eventId: string; contactId: string; occurredAt: Date | string; value: number }): Promise<void> {
  await tx.query('INSERT INTO rfm_purchases (event_id, contact_id, occurred_at, value) VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING',
    [p.eventId, p.contactId, p.occurredAt, p.value]);
}

/** The contact's next re-check, or none. */
export async function planRfmRecheck(tx: Queryable, contactId: string, due: Date | undefined): Promise<void> {
  if (due) await tx.query('INSERT INTO rfm_due (contact_id, due_at) VALUES ($1, $2) ON CONFLICT (contact_id) DO UPDATE SET due_at = EXCLUDED.due_at', [contactId, due]);
  else await tx.query('DELETE FROM rfm_due WHERE contact_id = $1', [contactId]);
}

/** Contacts whose re-check is due, oldest first, locked for the caller's transaction (others skip them). */
export async function claimDueRfm(tx: pg.PoolClient, limit: number): Promise<string[]> {
  const { rows } = await tx.query<{ contact_id: string }>('SELECT contact_id FROM rfm_due WHERE due_at <= now() ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED', [limit]);
  return rows.map((r) => r.contact_id);
}
