// Trigger conditions on a contact's recent history ("18 page views in 7 days"): counted
// in the event log when a matching event is dispatched, so nothing is kept per contact.
import type { Queryable } from './storage/db.js';
import type { Contact, HistoryCount } from './plugin.js';
import { toEvent, type EventRow } from './storage/events.js';
import { evaluate } from './conditions.js';
import { durationMs } from './duration.js';

/** How many events match `count` in its window ending at `row` (itself included). */
export async function countHistory(db: Queryable, count: HistoryCount, row: EventRow, contact: Contact | undefined): Promise<{ n: number; includesThis: boolean }> {
  const since = new Date(row.occurred_at.getTime() - durationMs(count.within));
  // Up to this event in (occurred_at, id) order, so two events at the same instant do
  // not both see themselves as the later one.
  const { rows } = await db.query<EventRow>(
    `SELECT * FROM events WHERE contact_id = $1 AND type = $2 AND occurred_at > $3
       AND (occurred_at < $4 OR (occurred_at = $4 AND id <= $5))`,
    [row.contact_id, count.eventType, since, row.occurred_at, row.id],
  );
  const matches = (r: EventRow) => !count.where || evaluate(count.where, { contact, event: toEvent(r) });
  const includesThis = row.type === count.eventType && matches(row);
  return { n: rows.filter(matches).length, includesThis };
}

/** Whether every count of a trigger holds for the incoming event. */
export async function historyHolds(db: Queryable, counts: HistoryCount[], row: EventRow, contact: Contact | undefined): Promise<boolean> {
  for (const count of counts) {
    const { n, includesThis } = await countHistory(db, count, row, contact);
    if (n < count.atLeast) return false;
    if (count.crossing && !(includesThis && n === count.atLeast)) return false;
  }
  return true;
}
