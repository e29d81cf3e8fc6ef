// Time-driven work, each second: decayed points, events kept for runs that ended,
// segment windows and RFM scores that moved, dates and calendars that came round (new
// schedules backfilled or planned once per process), hourly segment sizes, and the
// predictive model's retraining. Work that stores events kicks the dispatcher.
import type { Db } from '../storage/db.js';
import { dropKeptForEndedRuns } from '../storage/runs.js';
import type { DateSchedule, TriggerSpec } from '../plugin/index.js';
import { backfillNewSchedules, fireDue, scheduleSignature } from '../audience/date-schedule.js';
import { calendarSignature, fireDueCalendars, planNewCalendars } from '../audience/calendar.js';
import { expireDueAwards } from '../audience/scoring.js';
import { recheckDue } from '../audience/segments/membership.js';
import { noteSegmentSizes } from '../audience/segments/sizes.js';
import { retrainIfDue } from '../audience/predictive.js';
import { recheckDueRfm } from '../audience/rfm.js';
import type { TriggerEntry } from './triggers.js';

export interface SweepOptions {
  db: Db;
  triggers: () => Promise<TriggerEntry[]>;
  /** Dispatch soon: the sweep stored events. */
  kick: () => void;
  onError?: (err: unknown) => void;
}

export function createSweep(opts: SweepOptions): () => Promise<void> {
  const { db } = opts;
  /** Date schedules this process has made sure are backfilled. */
  const knownSchedules = new Set<string>();
  /** Calendar schedules this process has made sure are planned. */
  const knownCalendars = new Set<string>();
  return async function sweep(): Promise<void> {
    await expireDueAwards(db);
    await dropKeptForEndedRuns(db);
    await noteSegmentSizes(db);
    if ((await recheckDue(db)) > 0) opts.kick();
    await recheckDueRfm(db);
    const schedules = (await opts.triggers()).map((t) => t.spec.dateSchedule).filter((s): s is DateSchedule => s !== undefined && !knownSchedules.has(scheduleSignature(s)));
    if (schedules.length) {
      await backfillNewSchedules(db, schedules);
      for (const s of schedules) knownSchedules.add(scheduleSignature(s));
    }
    if ((await fireDue(db)) > 0) opts.kick();
    const calendars = (await opts.triggers()).map((t) => t.spec.calendar).filter((c): c is NonNullable<TriggerSpec['calendar']> => c !== undefined && !knownCalendars.has(calendarSignature(c)));
    if (calendars.length) {
      await planNewCalendars(db, calendars);
      for (const c of calendars) knownCalendars.add(calendarSignature(c));
    }
    if ((await fireDueCalendars(db)) > 0) opts.kick();
    await retrainIfDue(db, (err) => opts.onError?.(err));
  };
}
