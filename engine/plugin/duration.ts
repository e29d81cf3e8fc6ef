// Human durations ("45 seconds", "3 days", "2 weeks", "1 month") as used in node
// configs: readable in the JSON and in the editor, never raw milliseconds.
// Each unit takes as many digits as keep a duration within about a thousand years, so
// every duration the schema allows is one a Date, PostgreSQL's interval and a Temporal
// timer can hold ("1000000000000 days" once made PostgreSQL fail with a 500).
const UNIT_DIGITS: [number, string][] = [
  [10, 's|sec|secs|second|seconds'], [8, 'm|min|mins|minute|minutes'], [7, 'h|hr|hrs|hour|hours'], [6, 'd|day|days'],
  [5, 'w|week|weeks'], [4, 'mo|month|months'], [3, 'y|year|years'],
];
export const DURATION_PATTERN = `^\\s*(${UNIT_DIGITS.map(([digits, units]) => `\\d{1,${digits}}(\\.\\d+)?\\s*(${units})`).join('|')})\\s*$`;

const UNIT_MS: Record<string, number> = {
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, week: 604_800_000, weeks: 604_800_000,
};
const MONTH_UNITS = new Set(['mo', 'month', 'months']);
const YEAR_UNITS = new Set(['y', 'year', 'years']);

export interface Duration { amount: number; unit: string }

export function parseDuration(text: string): Duration {
  const m = new RegExp(DURATION_PATTERN).exec(text);
  if (!m) throw new Error(`"${text}" is not a duration such as "30 seconds", "3 days" or "1 month"`);
  // The whole unit word: "6 months" is months, not the "m" (minutes) it starts with.
  const [, amount, unit] = /^\s*([\d.]+)\s*([a-z]+)\s*$/.exec(text)!;
  return { amount: Number(amount), unit: unit!.toLowerCase() };
}

/** Adds a duration to an instant; months and years follow the calendar (UTC). */
export function addDuration(from: Date, text: string): Date {
  const { amount, unit } = parseDuration(text);
  if (MONTH_UNITS.has(unit) || YEAR_UNITS.has(unit)) {
    const months = MONTH_UNITS.has(unit) ? amount : amount * 12;
    const whole = Math.trunc(months);
    const d = new Date(from.getTime());
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + whole);
    const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, lastDay));
    return new Date(d.getTime() + (months - whole) * 30 * 86_400_000);
  }
  return new Date(from.getTime() + amount * UNIT_MS[unit]);
}

export function durationMs(text: string): number {
  return addDuration(new Date(0), text).getTime();
}

/** "3 days" → "3 days", "1 days" → "1 day": for summaries. */
export function formatDuration(text: string): string {
  try {
    const { amount, unit } = parseDuration(text);
    const names: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' };
    let name = names[unit] ?? unit.replace(/s$/, '');
    if (name === 'sec' || name === 'sec') name = 'second';
    if (name === 'min') name = 'minute';
    if (name === 'hr') name = 'hour';
    return `${amount} ${name}${amount === 1 ? '' : 's'}`;
  } catch {
    return text;
  }
}
