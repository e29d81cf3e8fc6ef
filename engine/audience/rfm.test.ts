// RFM's pure parts: scores from facts at the boundaries, when the next time check is
// due, and reading the purchase value.
import { expect, test } from 'vitest';
import { DEFAULT_RFM, nextRecheck, purchaseValue, rfmProblems, rfmScores, type RfmFacts } from './rfm.js';

const DAY = 86_400_000;
const now = new Date('2026-06-01T12:00:00Z');
const facts = (daysAgo: number, count: number, total: number, oldestDaysAgo = daysAgo): RfmFacts => ({
  lastAt: new Date(now.getTime() - daysAgo * DAY), count, total, oldestInWindow: count ? new Date(now.getTime() - oldestDaysAgo * DAY) : null,
});

test('recency: less than 30 days is 5; exactly on a boundary is the lower score; beyond the last is 1', () => {
  expect([0, 29.9, 30, 89, 90, 179, 180, 364, 365, 1000].map((d) => rfmScores(facts(d, 1, 0), DEFAULT_RFM, now).recency)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
});

test('frequency and monetary: at least the threshold scores it', () => {
  expect([0, 1, 2, 3, 4, 5, 9, 10, 50].map((c) => rfmScores(facts(1, c, 0), DEFAULT_RFM, now).frequency)).toEqual([1, 1, 2, 3, 3, 4, 4, 5, 5]);
  expect([0, 99.99, 100, 250, 499, 500, 1000].map((t) => rfmScores(facts(1, 1, t), DEFAULT_RFM, now).monetary)).toEqual([1, 1, 2, 3, 3, 4, 5]);
});

test('the next check is the next recency boundary or the oldest purchase leaving the window, whichever comes first', () => {
  // Bought 10 days ago, oldest in the window 300 days ago: leaves the window in 65 days; recency drops in 20.
  expect(nextRecheck(facts(10, 3, 0, 300), DEFAULT_RFM, now)).toEqual(new Date(now.getTime() + 20 * DAY));
  expect(nextRecheck(facts(100, 3, 0, 360), DEFAULT_RFM, now)).toEqual(new Date(now.getTime() + 5 * DAY));
  // Nothing in the window and past every boundary: nothing left to check until the next purchase.
  expect(nextRecheck(facts(400, 0, 0), DEFAULT_RFM, now)).toBeUndefined();
});

test('the purchase value: a number or numeric string at the path, else 0', () => {
  expect(purchaseValue({ value: 12.5 }, 'value')).toBe(12.5);
  expect(purchaseValue({ order: { total: '80.50' } }, 'order.total')).toBe(80.5);
  // Only plain decimals, as the SQL that re-reads history takes them: not hex, not exponents.
  expect(['free', '', null, '0x10', '1e3', undefined].map((value) => purchaseValue({ value }, 'value'))).toEqual([0, 0, 0, 0, 0, 0]);
});

test('boundaries must go one way; each problem names its place', () => {
  expect(rfmProblems(DEFAULT_RFM)).toEqual([]);
  expect(rfmProblems({ ...DEFAULT_RFM, recency: ['30 days', '3 months', '2 months', '1 year'], monetary: [100, 100, 200, 300] }).map((p) => p.path)).toEqual(['/recency/2', '/monetary/1']);
});
