// Calendar schedules: the schedules known (`calendar_schedules`), their due time per
// time zone (`calendar_due`), and the `tend.schedule_reached` events a firing records.
import type pg from 'pg';
import type { Queryable } from './db.js';
import { isTimeZone } from '../plugin/zoned-time.js';
import { nextInZone, SCHEDULE_REACHED, type CalendarSchedule } from '../plugin/schedule-rules.js';
import { conditionSql, Params } from './condition-sql.js';
import { memberSql } from './segment-members.js';

async function planZones(tx: Queryable, signature: string, schedule: CalendarSchedule, zones: string[], now: Date): Promise<void> {
  for (const zone of zones) {
    if (!isTimeZone(zone)) continue; // the API refuses unknown zones; older data is left out
    const at = nextInZone(schedule.cron, zone, now);
    if (at) await tx.query('INSERT INTO calendar_due (signature, timezone, fire_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [signature, zone, at]);
  }
}

/** Records a schedule not seen before and plans it in UTC and every zone contacts have; false when it was known. */
export async function learnCalendar(tx: pg.PoolClient, signature: string, schedule: CalendarSchedule, now: Date): Promise<boolean> {
  const fresh = await tx.query('INSERT INTO calendar_schedules (signature, schedule) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING signature', [signature, JSON.stringify(schedule)]);
  if (fresh.rowCount === 0) return false;
  const zones = (await tx.query<{ zone: string }>("SELECT DISTINCT COALESCE(timezone, 'UTC') AS zone FROM contacts")).rows.map((r) => r.zone);
  await planZones(tx, signature, schedule, [...new Set(['UTC', ...zones])], now);
  return true;
}

/** A contact moved to `zone`: schedules that do not come round there yet start to. */
export async function planZone(tx: Queryable | pg.PoolClient, zone: string | null, now = new Date()): Promise<void> {
  if (!zone) return;
  const { rows } = await tx.query<{ signature: string; schedule: CalendarSchedule }>(
    'SELECT s.signature, s.schedule FROM calendar_schedules s WHERE NOT EXISTS (SELECT 1 FROM calendar_due d WHERE d.signature = s.signature AND d.timezone = $1)',
    [zone],
  );
  for (const r of rows) await planZones(tx, r.signature, r.schedule, [zone], now);
}

export interface DueCalendar {
  signature: string;
  timezone: string;
  fire_at: Date;
  schedule: CalendarSchedule;
}

/** Zones whose time has come, oldest first, locked for the caller's transaction (others skip them). */
export async function claimDueCalendars(tx: pg.PoolClient, limit: number): Promise<DueCalendar[]> {
  const { rows } = await tx.query<DueCalendar>(
    `SELECT d.signature, d.timezone, d.fire_at, s.schedule FROM calendar_due d JOIN calendar_schedules s ON s.signature = d.signature
     WHERE d.fire_at <= now() ORDER BY d.fire_at LIMIT $1 FOR UPDATE OF d SKIP LOCKED`,
    [limit],
  );
  return rows;
}

/**
 * Records `tend.schedule_reached` for the contacts of the zone in the schedule's
 * audience, with their outbox rows; returns how many were recorded.
 */
export async function recordScheduleReached(tx: pg.PoolClient, r: DueCalendar): Promise<number> {
  const params = new Params();
  const [signature, zone, at] = [params.add(r.signature), params.add(r.timezone), params.add(r.fire_at.toISOString())];
  const audience = memberSql(r.schedule.audience ? conditionSql(r.schedule.audience, params, r.fire_at) : 'true');
  // The client id makes a firing that is retried (or raced) record each contact once.
  const inserted = await tx.query<{ id: string; contact_id: string }>(
    `INSERT INTO events (contact_id, type, properties, source, client_id, occurred_at)
     SELECT c.id, '${SCHEDULE_REACHED}', jsonb_build_object('signature', ${signature}::text, 'scheduledFor', ${at}::text, 'timezone', ${zone}::text), 'tend',
            'schedule:' || ${signature}::text || ':' || c.id || ':' || ${at}::text, ${at}::timestamptz
     FROM contacts c WHERE COALESCE(c.timezone, 'UTC') = ${zone}::text AND ${audience}
     ON CONFLICT (client_id) WHERE client_id IS NOT NULL DO NOTHING RETURNING id, contact_id`,
    params.values,
  );
  if (inserted.rows.length) {
    await tx.query('INSERT INTO outbox (event_id, contact_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])', [inserted.rows.map((e) => e.id), inserted.rows.map((e) => e.contact_id)]);
    await tx.query("SELECT pg_notify('tend_outbox', '')");
  }
  return inserted.rows.length;
}

/** The zone's next due time, or none: the schedule does not come round there again. */
export async function moveCalendarDue(tx: Queryable, signature: string, timezone: string, next: Date | undefined): Promise<void> {
  if (next) await tx.query('UPDATE calendar_due SET fire_at = $3 WHERE signature = $1 AND timezone = $2', [signature, timezone, next]);
  else await tx.query('DELETE FROM calendar_due WHERE signature = $1 AND timezone = $2', [signature, timezone]);
}
