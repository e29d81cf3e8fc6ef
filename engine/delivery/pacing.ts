// Pacing: contacts through a point of a program at most N per period, in the order they
// came. A queue per key holds when its next place falls due; taking a place moves that
// on by one interval (from now, if the queue has been idle), under the queue row's lock,
// so places are handed out in arrival order. A visit's place is kept under its
// idempotency key, in the same transaction: a retried step gets the same place, never
// a second one. The run then sleeps until its place like any wait, durably.
import type { Db, Queryable } from '../storage/db.js';
import { transaction } from '../storage/db.js';
import { dropPlace, keepPlace, keptPlace, nextPlace } from '../storage/pacing.js';

/** When this visit may pass: its place in the queue `queue`, one place every `everyMs`. */
export async function takePlace(db: Db, queue: string, everyMs: number, idempotencyKey: string): Promise<Date> {
  return transaction(db, async (tx) => {
    const kept = await keptPlace(tx, idempotencyKey);
    if (kept) return kept;
    const at = await nextPlace(tx, queue, everyMs);
    await keepPlace(tx, idempotencyKey, queue, at);
    return at;
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
    const kept = await keptPlace(tx, placeKey);
    if (kept) {
      if (kept.getTime() > now.getTime() + ON_TIME_MS) return kept;
      await dropPlace(tx, placeKey);
      return undefined;
    }
  }
  const at = await nextPlace(tx, queue, everyMs);
  if (at.getTime() <= now.getTime() + ON_TIME_MS) return undefined;
  if (placeKey) await keepPlace(tx, placeKey, queue, at);
  return at;
}
