// Trigger conditions on a contact's recent history ("18 page views in 7 days"): counted
// in the event log when a matching event is dispatched, so nothing is kept per contact.
import type { Queryable } from '../storage/db.js';
import type { Contact, HistoryCount, HistoryRule } from '../plugin/index.js';
import { eventsUpTo, toEvent, type EventRow } from '../storage/events.js';
import { evaluate } from '../plugin/conditions.js';
import { durationMs } from '../plugin/duration.js';

/** How many events match `count` in its window ending at `row` (itself included). */
export async function countHistory(db: Queryable, count: HistoryCount, row: EventRow, contact: Contact | undefined): Promise<{ n: number; includesThis: boolean }> {
  // Up to this event in (occurred_at, id) order, so two events at the same instant do
  // not both see themselves as the later one.
  const rows = await eventsUpTo(db, row.contact_id, count.eventType, row.id, durationMs(count.within));
  const matches = (r: EventRow) => !count.where || evaluate(count.where, { contact, event: toEvent(r) });
  const includesThis = row.type === count.eventType && matches(row);
  return { n: rows.filter(matches).length, includesThis };
}

/** Whether a trigger's history rule holds for the incoming event (and, for a crossing, did not without it). */
export async function historyHolds(db: Queryable, rule: HistoryRule, row: EventRow, contact: Contact | undefined): Promise<boolean> {
  let heldBefore = true;
  for (const count of rule.counts) {
    const { n, includesThis } = await countHistory(db, count, row, contact);
    if (n < count.atLeast) return false;
    if (n - (includesThis ? 1 : 0) < count.atLeast) heldBefore = false;
  }
  return !rule.crossing || !heldBefore;
}
