// Date-property triggers ("30 days before the renewal date, at 09:00 local", "every
// year on the birthday"): for each schedule in use, each contact with that date has one
// due time in `date_schedule`. The dispatcher's tick takes what is due from an index and
// records `tend.date_reached`; triggers match it by the schedule's signature. Due times
// are computed when a schedule first appears (one pass over the contacts that have the
// field), when a contact's field changes, and after a yearly schedule fires: never by
// re-scanning everyone on a period.
import type pg from 'pg';
import type { Db, Queryable } from '../storage/db.js';
import { transaction } from '../storage/db.js';
import type { Contact, DateSchedule } from '../plugin/index.js';
import { readPath } from '../plugin/conditions.js';
import { addDuration, durationMs } from '../plugin/duration.js';
import { atLocalTime, isTimeZone } from '../plugin/zoned-time.js';
import { scheduleSignature } from '../plugin/schedule-rules.js';
import { appendEvent } from '../storage/events.js';
import { toContact, type ContactRow } from '../storage/contact-row.js';

export const DATE_REACHED = 'tend.date_reached';

/**
 * Backfilling a new schedule takes this lock exclusively; a contact change takes it
 * shared. Without it, a contact saved while a schedule is being backfilled could be
 * missed by both: the change not yet seeing the schedule, the backfill not yet seeing
 * the change.
 */
const SCHEDULES_LOCK = 7346502;

export { scheduleSignature } from '../plugin/schedule-rules.js';

function shift(base: Date, offset: string | undefined): Date {
  if (!offset) return base;
  const trimmed = offset.trim();
  if (!trimmed.startsWith('-')) return addDuration(base, trimmed);
  return new Date(base.getTime() - durationMs(trimmed.slice(1)));
}

/** When this schedule next fires for this contact after `now`, or undefined. */
export function nextFire(s: DateSchedule, contact: Contact, now: Date): Date | undefined {
  const raw = readPath(contact, s.field);
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) return undefined;
  const tz = contact.timezone && isTimeZone(contact.timezone) ? contact.timezone : 'UTC';
  const at = (d: Date) => {
    const shifted = shift(d, s.offset);
    return s.atLocalTime ? atLocalTime(shifted, tz, s.atLocalTime) : shifted;
  };
  if (!s.yearly) {
    const when = at(date);
    return when > now ? when : undefined;
  }
  // The same date in the year of `now`, then the next year if that has passed.
  for (const year of [now.getUTCFullYear() - 1, now.getUTCFullYear(), now.getUTCFullYear() + 1]) {
    const d = new Date(date.getTime());
    d.setUTCFullYear(year);
    const when = at(d);
    if (when > now) return when;
  }
  return undefined;
}

/** Sets (or clears) one contact's due time for one schedule. */
export async function reschedule(tx: Queryable | pg.PoolClient, schedule: DateSchedule, contact: Contact, now = new Date()): Promise<void> {
  const signature = scheduleSignature(schedule);
  const when = nextFire(schedule, contact, now);
  if (!when) {
    await tx.query('DELETE FROM date_schedule WHERE signature = $1 AND contact_id = $2', [signature, contact.id]);
    return;
  }
  await tx.query(
    'INSERT INTO date_schedule (signature, contact_id, fire_at) VALUES ($1, $2, $3) ON CONFLICT (signature, contact_id) DO UPDATE SET fire_at = EXCLUDED.fire_at',
    [signature, contact.id, when],
  );
}

/** Schedules of live programs not seen before get every contact that has the field. */
export async function backfillNewSchedules(db: Db, schedules: DateSchedule[]): Promise<void> {
  for (const schedule of schedules) {
    const signature = scheduleSignature(schedule);
    await transaction(db, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [SCHEDULES_LOCK]);
      const fresh = await tx.query('INSERT INTO date_schedules_known (signature, schedule) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING signature', [signature, JSON.stringify(schedule)]);
      if (fresh.rowCount === 0) return;
      const [root, ...rest] = schedule.field.split('.');
      if (root !== 'attributes' || rest.length !== 1) return;
      const { rows } = await tx.query<ContactRow>('SELECT * FROM contacts WHERE attributes ? $1', [rest[0]]);
      for (const row of rows) await reschedule(tx, schedule, toContact(row));
    });
  }
}

/** Known schedules that read this field: what a change of the field must re-plan. */
export async function schedulesReading(db: Queryable, fields: string[]): Promise<DateSchedule[]> {
  if (fields.length === 0) return [];
  await db.query('SELECT pg_advisory_xact_lock_shared($1)', [SCHEDULES_LOCK]);
  const { rows } = await db.query<{ schedule: DateSchedule }>("SELECT schedule FROM date_schedules_known WHERE schedule->>'field' = ANY($1)", [fields]);
  return rows.map((r) => r.schedule);
}

/** Records `tend.date_reached` for what is due, then plans the next year or forgets it. */
export async function fireDue(db: Db, limit = 200): Promise<number> {
  return transaction(db, async (tx) => {
    const { rows } = await tx.query<{ signature: string; contact_id: string; fire_at: Date; schedule: DateSchedule }>(
      `SELECT d.signature, d.contact_id, d.fire_at, k.schedule FROM date_schedule d JOIN date_schedules_known k ON k.signature = d.signature
       WHERE d.fire_at <= now() ORDER BY d.fire_at LIMIT $1 FOR UPDATE OF d SKIP LOCKED`,
      [limit],
    );
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
      const contact = (await tx.query<ContactRow>('SELECT * FROM contacts WHERE id = $1', [r.contact_id])).rows[0];
      if (contact && r.schedule.yearly) await reschedule(tx, r.schedule, toContact(contact), new Date(r.fire_at.getTime() + 1000));
      else await tx.query('DELETE FROM date_schedule WHERE signature = $1 AND contact_id = $2', [r.signature, r.contact_id]);
    }
    return rows.length;
  });
}
