// The pure rules of the two schedule triggers, shared by their nodes (through
// tend/plugin) and the engine parts that fire them (calendar.ts, date-schedule.ts, and
// storage, which re-plans due times when a contact changes): the event type, how a
// schedule is named, what makes a cron expression usable, and when a schedule next
// comes round.
import crypto from 'node:crypto';
import { Cron } from 'croner';
import { readPath, type Condition } from './conditions.js';
import { addDuration, durationMs } from './duration.js';
import { atLocalTime, isTimeZone } from './zoned-time.js';

export const SCHEDULE_REACHED = 'tend.schedule_reached';

export interface CalendarSchedule {
  /** Five fields (minute hour day month weekday) or six with seconds first. */
  cron: string;
  /** Which contacts: a condition over the contact (facts allowed); everyone when unset. */
  audience?: Condition;
}

/** One string per distinct calendar schedule: triggers match `properties.signature` on it. */
export function calendarSignature(s: CalendarSchedule): string {
  const audience = s.audience ? crypto.createHash('sha256').update(JSON.stringify(s.audience)).digest('hex').slice(0, 16) : 'all';
  return `${s.cron.trim().replace(/\s+/g, ' ')}|${audience}`;
}

/** Problems with a cron expression, for the node's check. */
export function cronProblem(cron: string): string | undefined {
  const fields = cron.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) return 'use five fields (minute hour day month weekday), or six with seconds first';
  try {
    new Cron(cron, { paused: true });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** One string per distinct date schedule: triggers match `properties.signature` on it. */
// (The fields of plugin.ts's DateSchedule, named here so this module stays a leaf of the plugin API.)
export function scheduleSignature(s: { field: string; offset?: string; atLocalTime?: string; yearly?: boolean }): string {
  return [s.field, s.offset ?? '', s.atLocalTime ?? '', s.yearly ? 'yearly' : 'once'].join('|');
}

/** The next time a calendar schedule comes round in this zone, strictly after `after`. */
export function nextInZone(cron: string, timezone: string, after: Date): Date | undefined {
  return new Cron(cron, { paused: true, timezone }).nextRun(after) ?? undefined;
}

function shift(base: Date, offset: string | undefined): Date {
  if (!offset) return base;
  const trimmed = offset.trim();
  if (!trimmed.startsWith('-')) return addDuration(base, trimmed);
  return new Date(base.getTime() - durationMs(trimmed.slice(1)));
}

/** When this date schedule next fires for this contact after `now`, or undefined. */
// (Structural types for plugin.ts's DateSchedule and Contact, as above.)
export function nextFire(s: { field: string; offset?: string; atLocalTime?: string; yearly?: boolean }, contact: { timezone: string | null }, now: Date): Date | undefined {
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
