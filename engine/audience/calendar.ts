// Schedule triggers: a cron expression ("0 9 * * 1": Mondays at 09:00) that comes round
// in each contact's own time zone. Due times are kept per schedule and time zone, so a
// weekly digest to a million contacts in 40 zones is 40 rows, each firing one
// INSERT … SELECT of events for the contacts of its zone in the schedule's audience.
// Zones are planned when a schedule first goes live (the zones contacts have, plus
// UTC for contacts without one) and when a contact moves to a zone not planned yet.
import type pg from 'pg';
import { Cron } from 'croner';
import type { Db, Queryable } from '../storage/db.js';
import { transaction } from '../storage/db.js';
import { conditionSql, Params } from './segments/sql.js';
import { memberSql } from './segments/membership.js';
import { isTimeZone } from '../plugin/zoned-time.js';
import { SCHEDULE_REACHED, calendarSignature, type CalendarSchedule } from '../plugin/schedule-rules.js';

export { SCHEDULE_REACHED, calendarSignature, cronProblem, type CalendarSchedule } from '../plugin/schedule-rules.js';

/** The next time the schedule comes round in this zone, strictly after `after`. */
export function nextInZone(cron: string, timezone: string, after: Date): Date | undefined {
  return new Cron(cron, { paused: true, timezone }).nextRun(after) ?? undefined;
}

async function planZones(tx: Queryable, signature: string, schedule: CalendarSchedule, zones: string[], now: Date): Promise<void> {
  for (const zone of zones) {
    if (!isTimeZone(zone)) continue; // the API refuses unknown zones; older data is left out
    const at = nextInZone(schedule.cron, zone, now);
    if (at) await tx.query('INSERT INTO calendar_due (signature, timezone, fire_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [signature, zone, at]);
  }
}

/** Schedules of live programs not seen before get a due time for every zone in use. */
export async function planNewCalendars(db: Db, schedules: CalendarSchedule[], now = new Date()): Promise<void> {
  for (const schedule of schedules) {
    const signature = calendarSignature(schedule);
    await transaction(db, async (tx) => {
      const fresh = await tx.query('INSERT INTO calendar_schedules (signature, schedule) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING signature', [signature, JSON.stringify(schedule)]);
      if (fresh.rowCount === 0) return;
      const zones = (await tx.query<{ zone: string }>("SELECT DISTINCT COALESCE(timezone, 'UTC') AS zone FROM contacts")).rows.map((r) => r.zone);
      await planZones(tx, signature, schedule, [...new Set(['UTC', ...zones])], now);
    });
  }
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

/** Records `tend.schedule_reached` for the zones that are due, then plans their next time. */
export async function fireDueCalendars(db: Db, limit = 20): Promise<number> {
  return transaction(db, async (tx) => {
    const { rows } = await tx.query<{ signature: string; timezone: string; fire_at: Date; schedule: CalendarSchedule }>(
      `SELECT d.signature, d.timezone, d.fire_at, s.schedule FROM calendar_due d JOIN calendar_schedules s ON s.signature = d.signature
       WHERE d.fire_at <= now() ORDER BY d.fire_at LIMIT $1 FOR UPDATE OF d SKIP LOCKED`,
      [limit],
    );
    let recorded = 0;
    for (const r of rows) {
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
      recorded += inserted.rows.length;
      const next = nextInZone(r.schedule.cron, r.timezone, new Date(Math.max(r.fire_at.getTime(), Date.now())));
      if (next) await tx.query('UPDATE calendar_due SET fire_at = $3 WHERE signature = $1 AND timezone = $2', [r.signature, r.timezone, next]);
      else await tx.query('DELETE FROM calendar_due WHERE signature = $1 AND timezone = $2', [r.signature, r.timezone]);
    }
    return rows.length + recorded;
  });
}
