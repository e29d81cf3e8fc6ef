// Date-property schedules: the schedules known (`date_schedules_known`), each contact's
// due time per schedule (`date_schedule`), and the lock that keeps a backfill and a
// contact change from missing each other.
import type pg from 'pg';
import type { Queryable } from './db.js';
import type { Contact, DateSchedule } from '../plugin/index.js';
import { nextFire, scheduleSignature } from '../plugin/schedule-rules.js';
import type { ContactRow } from './contact-row.js';

/**
 * Backfilling a new schedule takes this lock exclusively; a contact change takes it
 * shared. Without it, a contact saved while a schedule is being backfilled could be
 * missed by both: the change not yet seeing the schedule, the backfill not yet seeing
 * the change.
 */
const SCHEDULES_LOCK = 7346502;

/** Sets (or clears) one contact's due time for one schedule. */
export async function reschedule(tx: Queryable | pg.PoolClient, schedule: DateSchedule, contact: Contact, now = new Date()): Promise<void> {
  const signature = scheduleSignature(schedule);
  const when = nextFire(schedule, contact, now);
  if (!when) {
    await forgetDue(tx, signature, contact.id);
    return;
  }
  await tx.query(
    'INSERT INTO date_schedule (signature, contact_id, fire_at) VALUES ($1, $2, $3) ON CONFLICT (signature, contact_id) DO UPDATE SET fire_at = EXCLUDED.fire_at',
    [signature, contact.id, when],
  );
}

export async function forgetDue(tx: Queryable, signature: string, contactId: string): Promise<void> {
  await tx.query('DELETE FROM date_schedule WHERE signature = $1 AND contact_id = $2', [signature, contactId]);
}

/**
 * Records a schedule as known under the exclusive backfill lock; false when it was known
 * already. The caller backfills in the same transaction.
 */
export async function learnSchedule(tx: pg.PoolClient, signature: string, schedule: DateSchedule): Promise<boolean> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [SCHEDULES_LOCK]);
  const fresh = await tx.query('INSERT INTO date_schedules_known (signature, schedule) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING signature', [signature, JSON.stringify(schedule)]);
  return fresh.rowCount !== 0;
}

/** Contacts that have this attribute, whatever its value. */
export async function contactsWithAttribute(tx: Queryable, name: string): Promise<ContactRow[]> {
  return (await tx.query<ContactRow>('SELECT * FROM contacts WHERE attributes ? $1', [name])).rows;
}

/** Known schedules that read this field: what a change of the field must re-plan. */
export async function schedulesReading(db: Queryable, fields: string[]): Promise<DateSchedule[]> {
  if (fields.length === 0) return [];
  await db.query('SELECT pg_advisory_xact_lock_shared($1)', [SCHEDULES_LOCK]);
  const { rows } = await db.query<{ schedule: DateSchedule }>("SELECT schedule FROM date_schedules_known WHERE schedule->>'field' = ANY($1)", [fields]);
  return rows.map((r) => r.schedule);
}

export interface DueDate {
  signature: string;
  contact_id: string;
  fire_at: Date;
  schedule: DateSchedule;
}

/** Due times that have come, oldest first, locked for the caller's transaction (others skip them). */
export async function claimDueDates(tx: pg.PoolClient, limit: number): Promise<DueDate[]> {
  const { rows } = await tx.query<DueDate>(
    `SELECT d.signature, d.contact_id, d.fire_at, k.schedule FROM date_schedule d JOIN date_schedules_known k ON k.signature = d.signature
     WHERE d.fire_at <= now() ORDER BY d.fire_at LIMIT $1 FOR UPDATE OF d SKIP LOCKED`,
    [limit],
  );
  return rows;
}
