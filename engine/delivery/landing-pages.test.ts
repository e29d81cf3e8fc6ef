// The pure rules of landing pages: the split, the decision, block checks and escaping.
import { expect, test } from 'vitest';
import { blockProblems, chooseVariant, decide, formatP, landingPageProblems } from './landing-pages.js';
import { renderLandingPage, webUrl } from './landing-page-html.js';
import { lift } from '../results/lift.js';

const page = { id: 'p1', winner: null, variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 3 }] };
const figures = (a: [number, number], b: [number, number]) => [
  { variant: 'a', viewers: a[0], converted: a[1], rate: a[1] / a[0] },
  { variant: 'b', viewers: b[0], converted: b[1], rate: b[1] / b[0] },
];

test('the split is sticky per visitor, follows the weights, and gives way to the winner', () => {
  const picks = Array.from({ length: 4000 }, (_, i) => chooseVariant(page, `visitor-${i}`));
  expect(picks.map((_, i) => chooseVariant(page, `visitor-${i}`))).toEqual(picks);
  const share = picks.filter((p) => p === 'b').length / picks.length;
  expect(share).toBeGreaterThan(0.72);
  expect(share).toBeLessThan(0.78);
  // Another page splits the same visitors independently.
  const other = Array.from({ length: 4000 }, (_, i) => chooseVariant({ ...page, id: 'p2' }, `visitor-${i}`));
  expect(other.filter((p, i) => p !== picks[i]).length).toBeGreaterThan(1000);
  expect(chooseVariant({ ...page, winner: 'a' }, 'visitor-1')).toBe('a');
  expect(chooseVariant({ ...page, winner: 'gone' }, 'visitor-1')).toBe(picks[1]);
});

test('nothing is decided below the minimum sample, however clear the rates', () => {
  const d = decide(figures([50, 0], [50, 40]), { confidence: 0.95, minSample: 100 });
  expect(d.winner).toBeNull();
  expect(d.reason).toBe('each variant needs 100 visitors before anything is decided; a has 50');
});

test('the winner is the best rate once the z-test reaches the confidence; its p-value is lift.ts\'s', () => {
  const f = figures([400, 40], [400, 64]);
  const p = lift({ n: 400, converted: 64 }, { n: 400, converted: 40 })!.pValue!;
  expect(p).toBeGreaterThan(0.01);
  expect(p).toBeLessThan(0.05);
  expect(decide(f, { confidence: 0.95, minSample: 100 })).toMatchObject({ winner: 'b', pValue: p, method: 'two-proportion z-test', summary: `two-proportion z-test, p ${formatP(p)}` });
  expect(decide(f, { confidence: 0.99, minSample: 100 })).toMatchObject({ winner: null, reason: 'not yet 99% confident that b converts best' });
  const same = decide(figures([400, 40], [400, 40]), { confidence: 0.8, minSample: 10 });
  expect(same.winner).toBeNull();
  expect(same.pValue).toBeCloseTo(1, 6);
});

test('with three variants the p-value is Bonferroni-adjusted against the hardest runner-up', () => {
  const f = [...figures([400, 40], [400, 64]), { variant: 'c', viewers: 400, converted: 20, rate: 0.05 }];
  const p = lift({ n: 400, converted: 64 }, { n: 400, converted: 40 })!.pValue!;
  expect(decide(f, { confidence: 0.95, minSample: 10 }).pValue).toBeCloseTo(Math.min(1, 2 * p), 12);
  expect(decide([f[0]!], { confidence: 0.95, minSample: 1 }).reason).toBe('one variant: there is nothing to compare it with');
});

test('each block is checked by its own type, naming the field', () => {
  expect(blockProblems({ type: 'cta', label: 'Go', url: 'javascript:alert(1)' } as never, '/b')).toEqual([{ path: '/b/url', message: 'must be an http:// or https:// address' }]);
  expect(blockProblems({ type: 'heading' }, '/b')).toEqual([{ path: '/b/text', message: "must have required property 'text'" }]);
  expect(blockProblems({ type: 'iframe' }, '/b')).toEqual([{ path: '/b/type', message: 'must be one of: heading, text, image, form, cta' }]);
  const twice = { slug: 's', name: 'S', variants: [{ key: 'a', name: 'A', weight: 1, blocks: [{ type: 'heading', text: 'x' }] }, { key: 'a', name: 'A', weight: 1, blocks: [{ type: 'heading', text: 'x' }] }], goal: { kind: 'event' as const, eventType: 'x', withinDays: 1 } };
  expect(landingPageProblems(twice)).toEqual([{ path: '/variants/1/key', message: '"a" is used by an earlier variant' }]);
});

test('everything typed is escaped, and only web addresses become links or images', () => {
  expect(webUrl('javascript:alert(1)')).toBeUndefined();
  expect(webUrl(' https://example.com/a b')).toBe('https://example.com/a%20b');
  const html = renderLandingPage({
    title: '</title><script>x()</script>', slug: 's', variant: 'a"><script>', forms: new Map(), visitorId: 'v1234567',
    blocks: [{ type: 'heading', text: '<b>Hi</b>', level: 1 }, { type: 'cta', label: 'Go', url: 'javascript:alert(1)' }, { type: 'image', url: 'https://x.example/i.png" onerror="x()', alt: '' }],
  });
  expect(html).not.toMatch(/<script|javascript:|" onerror/);
  expect(html).toContain('<h1>&lt;b&gt;Hi&lt;/b&gt;</h1>');
  expect(html).toContain('<img src="https://x.example/i.png%22%20onerror=%22x()" alt="" loading="lazy">');
});
