// Wall-clock arithmetic in a contact's time zone with nothing but Intl, so
// "at 09:00 local" lands at 09:00 where the contact lives, across DST changes.
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Minutes to add to UTC to get local time in `tz` at `instant`. */
export function offsetMinutes(instant: Date, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

export function localParts(instant: Date, tz: string): { year: number; month: number; day: number; hour: number; minute: number } {
  const local = new Date(instant.getTime() + offsetMinutes(instant, tz) * 60000);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(), hour: local.getUTCHours(), minute: local.getUTCMinutes() };
}

/** The instant at which the wall clock in `tz` shows the given local date and time. */
export function zonedInstant(tz: string, year: number, month: number, day: number, hour: number, minute: number): Date {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  let instant = new Date(guess - offsetMinutes(new Date(guess), tz) * 60000);
  // Once more, in case the first guess fell on the other side of a DST change.
  instant = new Date(guess - offsetMinutes(instant, tz) * 60000);
  return instant;
}

/** Moves `instant` to `hh:mm` local time on the same local day. */
export function atLocalTime(instant: Date, tz: string, hhmm: string): Date {
  const [hour, minute] = hhmm.split(':').map(Number);
  const p = localParts(instant, tz);
  return zonedInstant(tz, p.year, p.month, p.day, hour, minute);
}
