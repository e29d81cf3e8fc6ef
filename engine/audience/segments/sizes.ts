// A segment's size over time: its member count noted per day (migration 180). Noted by
// the dispatcher's sweep at most once an hour, and after a segment is (re)built, so the
// chart has today's point at once. One GROUP BY over the members table: at 1,000,000
// memberships about a second, once an hour.
import type { Queryable } from '../../storage/db.js';

const NOTE_EVERY_MS = 60 * 60 * 1000;
let lastNoted = 0;

/** Notes every active segment's size for today; returns whether it ran. */
export async function noteSegmentSizes(db: Queryable, now = Date.now()): Promise<boolean> {
  if (now - lastNoted < NOTE_EVERY_MS) return false;
  lastNoted = now;
  await db.query(
    `INSERT INTO segment_sizes (segment_id, day, members)
     SELECT s.id, (now() AT TIME ZONE 'UTC')::date, (SELECT count(*) FROM segment_members m WHERE m.segment_id = s.id)::int FROM segments s WHERE s.active
     ON CONFLICT (segment_id, day) DO UPDATE SET members = EXCLUDED.members`,
  );
  return true;
}

/** Notes one segment's size for today (after a rebuild, inside its transaction). */
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
