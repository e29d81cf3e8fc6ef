// Send-time optimisation: the local hour a contact most often opens or clicks email,
// learned from their own `email_opened` / `email_clicked` events of the last 180 days
// in their time zone; with fewer than MIN_SIGNALS of those, the hour of everyone's
// opens and clicks of the last 30 days (each in its contact's zone), and with none at
// all, 10:00. Read when a run asks (the "Wait for the best time" node): the contact's
// part is one indexed read of their own events, so its cost does not grow with the
// number of contacts; the population's hour is a sample, kept an hour per process.
import type { Queryable } from '../storage/db.js';
import { contactEngagementTimes, engagementByLocalHour } from '../storage/send-time.js';
import { isTimeZone } from '../plugin/zoned-time.js';

export const ENGAGEMENT_TYPES = ['email_opened', 'email_clicked'] as const;
export const MIN_SIGNALS = 3;
export const DEFAULT_HOUR = 10;
export const CONTACT_WINDOW_DAYS = 180;
const POPULATION_WINDOW_DAYS = 30;
const POPULATION_SAMPLE = 20_000;
const POPULATION_CACHE_MS = 60 * 60 * 1000;

export interface BestHour {
  /** 0–23, local to the contact. */
  hour: number;
  /** Whose behaviour chose it. */
  from: 'contact' | 'everyone' | 'default';
  /** How many opens and clicks it was learned from. */
  signals: number;
}

/** The most frequent hour of a histogram (hour → count); ties go to the earlier hour. */
export function modeHour(histogram: Map<number, number>): number | undefined {
  let best: number | undefined;
  for (const [hour, n] of [...histogram].sort(([a], [b]) => a - b)) if (best === undefined || n > histogram.get(best)!) best = hour;
  return best;
}

/** The local hour of each instant in a time zone. */
export function localHours(instants: Date[], timeZone: string): Map<number, number> {
  const fmt = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone });
  const histogram = new Map<number, number>();
  for (const at of instants) {
    const h = Number(fmt.format(at));
    histogram.set(h, (histogram.get(h) ?? 0) + 1);
  }
  return histogram;
}

let population: { at: number; hour: number | undefined; signals: number } | undefined;

async function populationHour(db: Queryable): Promise<{ hour: number | undefined; signals: number }> {
  if (population && Date.now() - population.at < POPULATION_CACHE_MS) return population;
  const rows = await engagementByLocalHour(db, ENGAGEMENT_TYPES, POPULATION_WINDOW_DAYS, POPULATION_SAMPLE);
  const histogram = new Map(rows.map((r) => [r.h, r.n]));
  population = { at: Date.now(), hour: modeHour(histogram), signals: rows.reduce((n, r) => n + r.n, 0) };
  return population;
}

/** Forgets the population's hour (tests that change engagement and ask again). */
export function forgetPopulationHour(): void {
  population = undefined;
}

export async function bestSendHour(db: Queryable, contact: { id: string; timezone: string | null }, zone: string): Promise<BestHour> {
  const own = await contactEngagementTimes(db, contact.id, CONTACT_WINDOW_DAYS, ENGAGEMENT_TYPES);
  return chooseHour(own, zone, () => populationHour(db));
}

/** The rule, apart from where the instants come from (the simulator has them in memory). */
export async function chooseHour(own: Date[], zone: string, everyone: () => Promise<{ hour: number | undefined; signals: number }>): Promise<BestHour> {
  if (own.length >= MIN_SIGNALS) return { hour: modeHour(localHours(own, zone))!, from: 'contact', signals: own.length };
  const all = await everyone();
  return all.hour === undefined ? { hour: DEFAULT_HOUR, from: 'default', signals: 0 } : { hour: all.hour, from: 'everyone', signals: all.signals };
}

/** The zone a contact's hours are read in: their own when it is a real one, else the policy's default. */
export const zoneOf = (timezone: string | null | undefined, fallback: string): string => (timezone && isTimeZone(timezone) ? timezone : fallback);
