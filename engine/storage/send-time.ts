// The engagement (opens, clicks) behind send-time optimisation, by local hour: a
// contact's own events, and everyone's recent ones in their contacts' zones.
import type { Queryable } from './db.js';

/** Everyone's latest `sample` events of `types` within `days`, counted by local hour (each in its contact's zone, UTC without one). */
export async function engagementByLocalHour(db: Queryable, types: readonly string[], days: number, sample: number): Promise<{ h: number; n: number }[]> {
  const { rows } = await db.query<{ h: number; n: number }>(
    `SELECT extract(hour FROM e.occurred_at AT TIME ZONE coalesce(c.timezone, 'UTC'))::int AS h, count(*)::int AS n
     FROM (SELECT contact_id, occurred_at FROM events WHERE type = ANY($1) AND occurred_at > now() - make_interval(days => $2) ORDER BY occurred_at DESC LIMIT $3) e
     JOIN contacts c ON c.id = e.contact_id GROUP BY 1`,
    [types, days, sample],
  );
  return rows;
}

/** When the contact's events of `types` within `days` happened. */
export async function contactEngagementTimes(db: Queryable, contactId: string, days: number, types: readonly string[]): Promise<Date[]> {
  const { rows } = await db.query<{ occurred_at: Date }>(
    `SELECT occurred_at FROM events WHERE contact_id = $1 AND occurred_at > now() - make_interval(days => $2) AND type = ANY($3)`,
    [contactId, days, types],
  );
  return rows.map((r) => r.occurred_at);
}
