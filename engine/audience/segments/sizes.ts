// A segment's size over time: its member count noted per day (migration 180). Noted by
// the dispatcher's sweep at most once an hour, and after a segment is (re)built, so the
// chart has today's point at once. One GROUP BY over the members table: at 1,000,000
// memberships about a second, once an hour.
import type { Queryable } from '../../storage/db.js';
import { noteActiveSegmentSizes } from '../../storage/segment-sizes.js';

export { noteSegmentSize, segmentSizes } from '../../storage/segment-sizes.js';

const NOTE_EVERY_MS = 60 * 60 * 1000;
let lastNoted = 0;

/** Notes every active segment's size for today; returns whether it ran. */
export async function noteSegmentSizes(db: Queryable, now = Date.now()): Promise<boolean> {
  if (now - lastNoted < NOTE_EVERY_MS) return false;
  lastNoted = now;
  await noteActiveSegmentSizes(db);
  return true;
}
