// Pacing: contacts through a point of a program at most N per period, in the order they
// came. A queue per key holds when its next place falls due; taking a place moves that
// on by one interval (from now, if the queue has been idle), under the queue row's lock,
// so places are handed out in arrival order. A visit's place is kept under its
// idempotency key, in the same transaction: a retried step gets the same place, never
// a second one. The run then sleeps until its place like any wait, durably.
import type { Db, Queryable } from '../storage/db.js';
import { transaction } from '../storage/db.js';

/** The queue's next place (now, if it has been idle), and the queue moved on by one interval, under the queue row's lock. */
async function nextPlace(tx: Queryable, queue: string, everyMs: number): Promise<Date> {
  const { rows: [place] } = await tx.query<{ at: Date }>(
    `INSERT INTO pacing_queues (key, next_at) VALUES ($1, now() + make_interval(secs => $2::float8 / 1000))
     ON CONFLICT (key) DO UPDATE SET next_at = greatest(pacing_queues.next_at, now()) + make_interval(secs => $2::float8 / 1000)
     RETURNING next_at - make_interval(secs => $2::float8 / 1000) AS at`,
    [queue, everyMs],
  );
  return place!.at;
}

/** When this visit may pass: its place in the queue `queue`, one place every `everyMs`. */
export async function takePlace(db: Db, queue: string, everyMs: number, idempotencyKey: string): Promise<Date> {
  return transaction(db, async (tx) => {
    const kept = await tx.query<{ at: Date }>('SELECT at FROM pacing_places WHERE idempotency_key = $1', [idempotencyKey]);
    if (kept.rows[0]) return kept.rows[0].at;
    const { rows: [place] } = await tx.query<{ at: Date }>(
      `INSERT INTO pacing_queues (key, next_at) VALUES ($1, now() + make_interval(secs => $2::float8 / 1000))
       ON CONFLICT (key) DO UPDATE SET next_at = greatest(pacing_queues.next_at, now()) + make_interval(secs => $2::float8 / 1000)
       RETURNING next_at - make_interval(secs => $2::float8 / 1000) AS at`,
      [queue, everyMs],
    );
    await tx.query('INSERT INTO pacing_places (idempotency_key, queue, at) VALUES ($1, $2, $3)', [idempotencyKey, queue, place!.at]);
    return place!.at;
  });
}

/** A send this close to its place goes now (a deferred send wakes at its place, give or take a timer's slack). */
const ON_TIME_MS = 20;

/**
 * A message's place under a sending ceiling (one place every `everyMs` on the channel's
 * queue), inside the transaction that claims the message. Undefined: it may go now. A
 * date: it waits until then, and the place is kept under `placeKey` so the send finds
 * it when it comes back (and then takes it, leaving no row behind).
 */
export async function ceilingPlace(tx: Queryable, queue: string, everyMs: number, placeKey: string | undefined, now: Date): Promise<Date | undefined> {
  if (placeKey) {
    const kept = await tx.query<{ at: Date }>('SELECT at FROM pacing_places WHERE idempotency_key = $1', [placeKey]);
    if (kept.rows[0]) {
      if (kept.rows[0].at.getTime() > now.getTime() + ON_TIME_MS) return kept.rows[0].at;
      await tx.query('DELETE FROM pacing_places WHERE idempotency_key = $1', [placeKey]);
      return undefined;
    }
  }
  const at = await nextPlace(tx, queue, everyMs);
  if (at.getTime() <= now.getTime() + ON_TIME_MS) return undefined;
  if (placeKey) await tx.query('INSERT INTO pacing_places (idempotency_key, queue, at) VALUES ($1, $2, $3)', [placeKey, queue, at]);
  return at;
}
