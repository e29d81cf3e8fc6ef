// A segment's member count noted per day (`segment_sizes`, migration 180).
import type { Queryable } from './db.js';

/** Notes every active segment's size for today: one GROUP BY over the members table. */
export async function noteActiveSegmentSizes(db: Queryable): Promise<void> {
  await db.query(
    `INSERT INTO segment_sizes (segment_id, day, members)
     SELECT s.id, (now() AT TIME ZONE 'UTC')::date, (SELECT count(*) FROM segment_members m WHERE m.segment_id = s.id)::int FROM segments s WHERE s.active
     ON CONFLICT (segment_id, day) DO UPDATE SET members = EXCLUDED.members`,
  );
}

/** Notes one segment's size for today. */
export async function noteSegmentSize(db: Queryable, segmentId: string): Promise<void> {
  await db.query(
    `INSERT INTO segment_sizes (segment_id, day, members)
     VALUES ($1, (now() AT TIME ZONE 'UTC')::date, (SELECT count(*) FROM segment_members WHERE segment_id = $1)::int)
     ON CONFLICT (segment_id, day) DO UPDATE SET members = EXCLUDED.members`,
    [segmentId],
  );
}

/** The last `days` days' sizes, oldest first; days without a note are left out (the chart joins its points). */
export async function segmentSizes(db: Queryable, segmentId: string, days: number): Promise<{ day: string; members: number }[]> {
  const { rows } = await db.query<{ day: string; members: number }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, members FROM segment_sizes
     WHERE segment_id = $1 AND day > (now() AT TIME ZONE 'UTC')::date - $2::int ORDER BY day`,
    [segmentId, days],
  );
  return rows;
}
