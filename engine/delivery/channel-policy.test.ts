// Quiet hours are local to the contact: the same instant is quiet in one city and
// not in another, and a window across midnight ends the next morning.
import { expect, test } from 'vitest';
import { quietUntil } from './channel-policy.js';

const night = { start: '21:00', end: '08:00', channels: ['email' as const] };

test('late evening defers to 08:00 the next morning, local time', () => {
  // 23:30 in New York on 10 March 2026 (EDT, UTC-4) is 03:30 UTC on the 11th.
  expect(quietUntil(new Date('2026-03-11T03:30:00Z'), 'America/New_York', night)?.toISOString()).toBe('2026-03-11T12:00:00.000Z');
});

test('after midnight defers to 08:00 the same day', () => {
  expect(quietUntil(new Date('2026-06-01T00:15:00Z'), 'Europe/Berlin', night)?.toISOString()).toBe('2026-06-01T06:00:00.000Z');
});

test('daytime is not quiet, and the same instant can be quiet elsewhere', () => {
  const instant = new Date('2026-06-01T12:00:00Z'); // 14:00 in Berlin, 21:00 in Tokyo
  expect(quietUntil(instant, 'Europe/Berlin', night)).toBeUndefined();
  expect(quietUntil(instant, 'Asia/Tokyo', night)?.toISOString()).toBe('2026-06-01T23:00:00.000Z');
});

test('a window within one day', () => {
  const lunch = { start: '12:00', end: '13:30', channels: ['sms' as const] };
  expect(quietUntil(new Date('2026-01-05T12:10:00Z'), 'UTC', lunch)?.toISOString()).toBe('2026-01-05T13:30:00.000Z');
  expect(quietUntil(new Date('2026-01-05T13:30:00Z'), 'UTC', lunch)).toBeUndefined();
});

test('across a daylight-saving change the morning is still 08:00 local', () => {
  // Night of 28-29 March 2026: Berlin moves from UTC+1 to UTC+2 at 02:00.
  expect(quietUntil(new Date('2026-03-28T22:00:00Z'), 'Europe/Berlin', night)?.toISOString()).toBe('2026-03-29T06:00:00.000Z');
});
