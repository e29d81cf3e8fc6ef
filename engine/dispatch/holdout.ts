// The program holdout: a share of a program's entrants who get nothing, so the
// program's lift can be measured against them (engine/results/attribution.ts). Decided at entry
// from a hash of program and contact: the same contact is always on the same side of
// one program's holdout (re-entries too), different programs split independently, and
// no state is kept to decide it. Held-out entrants are enrollments with status
// 'held_out' and no workflow (storage/attribution.ts `recordHeldOut`).
import { createHash } from 'node:crypto';

/**
 * Whether this contact is in this program's holdout of `percent` (0–50).
 * @example isHeldOut('8c1…', 'c42…', 10) // the same answer every time for this pair
 */
export function isHeldOut(programId: string, contactId: string, percent: number | undefined): boolean {
  if (!percent || percent <= 0) return false;
  const bucket = createHash('sha256').update(`${programId}:${contactId}`).digest().readUInt32BE(0) / 2 ** 32; // uniform in [0, 1)
  return bucket * 100 < percent;
}
