// Date-property triggers ("30 days before the renewal date, at 09:00 local", "every
// year on the birthday"): for each schedule in use, each contact with that date has one
// due time in `date_schedule`. The dispatcher's tick takes what is due from an index and
// records `tend.date_reached`; triggers match it by the schedule's signature. Due times
// are computed when a schedule first appears (one pass over the contacts that have the
// field), when a contact's field changes, and after a yearly schedule fires: never by
// re-scanning everyone on a period.
import type { Db } from '../storage/db.js';
import { transaction } from '../storage/db.js';
import type { DateSchedule } from '../plugin/index.js';
import { scheduleSignature } from '../plugin/schedule-rules.js';
import { appendEvent } from '../storage/events.js';
import { toContact } from '../storage/contact-row.js';
import { contactRow } from '../storage/contacts.js';
import { claimDueDates, contactsWithAttribute, forgetDue, learnSchedule, reschedule } from '../storage/date-schedules.js';

export const DATE_REACHED = 'tend.date_reached';

export { scheduleSignature, nextFire } from '../plugin/schedule-rules.js';

/** Schedules of live programs not seen before get every contact that has the field. */
export async function backfillNewSchedules(db: Db, schedules: DateSchedule[]): Promise<void> {
  for (const schedule of schedules) {
    const signature = scheduleSignature(schedule);
    await transaction(db, async (tx) => {
      if (!(await learnSchedule(tx, signature, schedule))) return;
      const [root, ...rest] = schedule.field.split('.');
      if (root !== 'attributes' || rest.length !== 1) return;
      for (const row of await contactsWithAttribute(tx, rest[0]!)) await reschedule(tx, schedule, toContact(row));
    });
  }
}

/** Records `tend.date_reached` for what is due, then plans the next year or forgets it. */
export async function fireDue(db: Db, limit = 200): Promise<number> {
  return transaction(db, async (tx) => {
    const rows = await claimDueDates(tx, limit);
    for (const r of rows) {
      await appendEvent(tx, {
        contactId: r.contact_id,
        type: DATE_REACHED,
        source: 'tend',
        dispatch: true,
        // Once per schedule, contact and due time, whatever happens to this transaction's retries.
        clientId: `date:${r.signature}:${r.contact_id}:${r.fire_at.toISOString()}`,
        properties: { signature: r.signature, field: r.schedule.field, dueAt: r.fire_at.toISOString() },
      });
      const contact = await contactRow(tx, r.contact_id);
      if (contact && r.schedule.yearly) await reschedule(tx, r.schedule, toContact(contact), new Date(r.fire_at.getTime() + 1000));
      else await forgetDue(tx, r.signature, r.contact_id);
    }
    return rows.length;
  });
}
