// Schedule triggers: a cron expression ("0 9 * * 1": Mondays at 09:00) that comes round
// in each contact's own time zone. Due times are kept per schedule and time zone, so a
// weekly digest to a million contacts in 40 zones is 40 rows, each firing one
// INSERT … SELECT of events for the contacts of its zone in the schedule's audience.
// Zones are planned when a schedule first goes live (the zones contacts have, plus
// UTC for contacts without one) and when a contact moves to a zone not planned yet.
import type { Db } from '../storage/db.js';
import { transaction } from '../storage/db.js';
import { claimDueCalendars, learnCalendar, moveCalendarDue, recordScheduleReached } from '../storage/calendars.js';
import { calendarSignature, nextInZone, type CalendarSchedule } from '../plugin/schedule-rules.js';

export { SCHEDULE_REACHED, calendarSignature, cronProblem, nextInZone, type CalendarSchedule } from '../plugin/schedule-rules.js';

/** Schedules of live programs not seen before get a due time for every zone in use. */
export async function planNewCalendars(db: Db, schedules: CalendarSchedule[], now = new Date()): Promise<void> {
  for (const schedule of schedules) {
    const signature = calendarSignature(schedule);
    await transaction(db, (tx) => learnCalendar(tx, signature, schedule, now));
  }
}

/** Records `tend.schedule_reached` for the zones that are due, then plans their next time. */
export async function fireDueCalendars(db: Db, limit = 20): Promise<number> {
  return transaction(db, async (tx) => {
    const rows = await claimDueCalendars(tx, limit);
    let recorded = 0;
    for (const r of rows) {
      recorded += await recordScheduleReached(tx, r);
      await moveCalendarDue(tx, r.signature, r.timezone, nextInZone(r.schedule.cron, r.timezone, new Date(Math.max(r.fire_at.getTime(), Date.now()))));
    }
    return rows.length + recorded;
  });
}
