// The pure rules of landing pages: the split, the decision, block checks and escaping.
import { expect, test } from 'vitest';
import { blockProblems, chooseVariant, decide, drawVariant, formatP, landingPageProblems, visitorIdFor } from './landing-pages.js';
import { PREVIEW_TOKEN_MAX_AGE_S, previewToken, verifyPreviewToken } from './landing-page-preview.js';
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

test('before consent a variant is drawn for the load only; on accepting, a new visitor id the split keeps on the variant seen', () => {
  const draws = new Set(Array.from({ length: 200 }, () => drawVariant(page)));
  expect(draws).toEqual(new Set(['a', 'b']));
  expect(drawVariant({ ...page, winner: 'a' })).toBe('a');
  // The rarest share possible: 1 against four of 100.
  const skewed = { id: 'p3', variants: [{ key: 'rare', weight: 1 }, ...['w', 'x', 'y', 'z'].map((key) => ({ key, weight: 100 }))] };
  for (const key of ['a', 'b']) expect(chooseVariant(page, visitorIdFor(page, key))).toBe(key);
  expect(chooseVariant({ ...skewed, winner: null }, visitorIdFor(skewed, 'rare'))).toBe('rare');
});

test('a goal naming one button: that id on some variant, only on a cta goal; button ids unique within a variant', () => {
  const cta = (id: string) => ({ type: 'cta', id, label: id, url: 'https://www.example.com/' });
  const withGoal = (goal: object, blocks = [cta('start'), cta('docs')]) => ({ slug: 's', name: 'S', variants: [{ key: 'a', name: 'A', weight: 1, blocks }], goal: { withinDays: 1, ...goal } as never });
  expect(landingPageProblems(withGoal({ kind: 'cta', ctaId: 'start' }))).toEqual([]);
  expect(landingPageProblems(withGoal({ kind: 'cta', ctaId: 'pricing' }))).toEqual([{ path: '/goal/ctaId', message: 'no variant has a button with id "pricing": give the button that id, or count any button' }]);
  expect(landingPageProblems(withGoal({ kind: 'event', eventType: 'x', ctaId: 'start' }))).toEqual([{ path: '/goal/ctaId', message: 'only a cta goal names a button' }]);
  expect(landingPageProblems(withGoal({ kind: 'cta' }, [cta('go'), cta('go')]))).toEqual([{ path: '/variants/0/blocks/1/id', message: '"go" names an earlier button of this variant' }]);
});

test('a preview token names its page and variant until it expires, and cannot be changed without the secret', () => {
  const id = '6f1c1b9e-4a7e-4c1e-9f5e-2b1d3c4e5f60';
  const at = new Date('2026-12-05T10:00:00Z');
  const { token, expiresAt } = previewToken('secret-1 secret-0', id, 'story', at);
  expect(expiresAt).toBe(new Date(at.getTime() + PREVIEW_TOKEN_MAX_AGE_S * 1000).toISOString());
  expect(verifyPreviewToken('secret-1', token, at)).toEqual({ pageId: id, variant: 'story' });
  expect(verifyPreviewToken('secret-2 secret-1', token, at)).toEqual({ pageId: id, variant: 'story' });
  expect(verifyPreviewToken('secret-2', token, at)).toBeUndefined();
  expect(verifyPreviewToken('secret-1', token.replace('.story.', '.plain.'), at)).toBeUndefined();
  expect(verifyPreviewToken('secret-1', token, new Date(at.getTime() + PREVIEW_TOKEN_MAX_AGE_S * 1000))).toBeUndefined();
  expect(verifyPreviewToken('secret-1', previewToken('secret-1', id, undefined, at).token, at)).toEqual({ pageId: id, variant: undefined });
});
