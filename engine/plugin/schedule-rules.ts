// The pure rules of the two schedule triggers, shared by their nodes (through
// tend/plugin) and the engine parts that fire them (calendar.ts, date-schedule.ts):
// the event type, how a schedule is named, and what makes a cron expression usable.
import crypto from 'node:crypto';
import { Cron } from 'croner';
import type { Condition } from './conditions.js';

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
