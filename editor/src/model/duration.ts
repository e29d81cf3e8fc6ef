// Friendly duration fields: "3 days" is shown as an amount and a unit and written
// back in the same words the engine parses (engine/plugin/duration.ts).
import { DURATION_PATTERN } from '../../../engine/plugin/duration.js';

export const DURATION_UNITS = ['seconds', 'minutes', 'hours', 'days', 'weeks', 'months', 'years'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

const ALIASES: Record<string, DurationUnit> = {
  s: 'seconds', sec: 'seconds', secs: 'seconds', second: 'seconds', seconds: 'seconds',
  m: 'minutes', min: 'minutes', mins: 'minutes', minute: 'minutes', minutes: 'minutes',
  h: 'hours', hr: 'hours', hrs: 'hours', hour: 'hours', hours: 'hours',
  d: 'days', day: 'days', days: 'days',
  w: 'weeks', week: 'weeks', weeks: 'weeks',
  mo: 'months', month: 'months', months: 'months',
  y: 'years', year: 'years', years: 'years',
};

export interface DurationParts {
  amount: number;
  unit: DurationUnit;
  negative: boolean;
}

/** "3 days" → { amount: 3, unit: 'days' }; undefined for text that is not a duration. */
export function splitDuration(text: unknown): DurationParts | undefined {
  if (typeof text !== 'string') return undefined;
  const trimmed = text.trim();
  const negative = trimmed.startsWith('-');
  const body = negative ? trimmed.slice(1) : trimmed;
  if (!new RegExp(DURATION_PATTERN).test(body)) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(body);
  if (!m) return undefined;
  const unit = ALIASES[m[2].toLowerCase()];
  return unit ? { amount: Number(m[1]), unit, negative } : undefined;
}

/** { amount: 1, unit: 'days' } → "1 day"; { amount: 3, unit: 'days' } → "3 days". */
export function joinDuration({ amount, unit, negative }: DurationParts): string {
  const name = amount === 1 ? unit.replace(/s$/, '') : unit;
  return `${negative ? '-' : ''}${amount} ${name}`;
}
