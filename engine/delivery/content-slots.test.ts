// Website content slots: one test per problem the schema cannot see, the choice of a
// variant, and what the HTML allow-list keeps.
import { describe, expect, test } from 'vitest';
import { chooseContent, contentSlotProblems, type ContentSlotInput } from './content-slots.js';
import { cleanContentHtml } from './content-html.js';

const slot = (variants: ContentSlotInput['variants'], defaultHtml: string | null = '<p>Hello</p>'): ContentSlotInput => ({ key: 'hero', name: 'Hero', defaultHtml, variants });
const vip = { key: 'vip', name: 'VIPs', html: '<p>Welcome back</p>', condition: { field: 'contact.segments', op: 'contains' as const, value: 'vip' } };
const lead = { key: 'lead', name: 'Leads', html: '<p>Book a demo</p>', condition: { field: 'contact.attributes.stage', op: 'eq' as const, value: 'lead' } };

describe('contentSlotProblems', () => {
  test('a variant keyed "default" is refused: that names the default', () => {
    expect(contentSlotProblems(slot([{ ...vip, key: 'default' }]))).toEqual([{ path: '/variants/0/key', message: expect.stringContaining('default') }]);
  });
  test('a variant key used twice is refused at the second', () => {
    expect(contentSlotProblems(slot([vip, { ...lead, key: 'vip' }]))).toEqual([{ path: '/variants/1/key', message: '"vip" is used by an earlier variant' }]);
  });
  test('a fact about past events is refused, pointing to segments', () => {
    const problems = contentSlotProblems(slot([{ ...vip, condition: { fact: 'count', event: 'order_completed', op: 'gte', value: 2 } as never }]));
    expect(problems).toEqual([{ path: '/variants/0/condition/fact', message: expect.stringContaining('contact.segments') }]);
  });
  test('a condition on an event is refused: a page view has no event that started a run', () => {
    expect(contentSlotProblems(slot([{ ...vip, condition: { field: 'event.properties.x', op: 'eq', value: 1 } }]))[0]!.path).toBe('/variants/0/condition/field');
  });
  test('a comparison without a value is refused', () => {
    expect(contentSlotProblems(slot([{ ...vip, condition: { field: 'contact.score', op: 'gte' } }]))[0]!.path).toBe('/variants/0/condition/value');
  });
});

describe('chooseContent', () => {
  const s = slot([vip, lead]);
  test('the first variant whose condition holds wins', () => {
    expect(chooseContent(s, { segments: ['vip'], attributes: { stage: 'lead' } })).toEqual({ variant: 'vip', html: '<p>Welcome back</p>' });
    expect(chooseContent(s, { segments: [], attributes: { stage: 'lead' } })).toEqual({ variant: 'lead', html: '<p>Book a demo</p>' });
  });
  test('an unknown visitor, or one no rule picks, sees the default', () => {
    expect(chooseContent(s, undefined)).toEqual({ variant: 'default', html: '<p>Hello</p>' });
    expect(chooseContent(s, { segments: [], attributes: {} })).toEqual({ variant: 'default', html: '<p>Hello</p>' });
  });
  test('without a default the page keeps its own content (null)', () => {
    expect(chooseContent(slot([vip], null), undefined)).toEqual({ variant: 'default', html: null });
  });
  test('a rule for strangers can pick a variant for an unknown visitor', () => {
    expect(chooseContent(slot([{ ...vip, key: 'stranger', condition: { field: 'contact.email', op: 'notExists' } }]), undefined).variant).toBe('stranger');
  });
});

describe('cleanContentHtml', () => {
  test('scripts, handlers, javascript: links, frames, forms, styles and ids are removed; text, links and CTAs stay', () => {
    expect(cleanContentHtml('<p onclick="x()">Hi<script>steal()</script></p>')).toBe('<p>Hi</p>');
    expect(cleanContentHtml('<a href="javascript:alert(1)">Go</a>')).toBe('<a>Go</a>');
    expect(cleanContentHtml('<img src="x" onerror="alert(1)"><img src="data:image/png;base64,AA">')).toBe('<img src="x" /><img />');
    expect(cleanContentHtml('<iframe src="https://evil.example"></iframe><form action="/x"><input name="a"></form><style>body{}</style>')).toBe('');
    expect(cleanContentHtml('<div id="login" style="position:fixed">a</div>')).toBe('<div>a</div>');
    expect(cleanContentHtml('<a href="https://example.com/demo" class="btn" data-tend-cta="book-demo">Book</a>')).toBe('<a href="https://example.com/demo" class="btn" data-tend-cta="book-demo">Book</a>');
  });
  test('a link to a new tab gets rel="noopener noreferrer"', () => {
    expect(cleanContentHtml('<a href="https://example.com" target="_blank">x</a>')).toBe('<a href="https://example.com" target="_blank" rel="noopener noreferrer">x</a>');
  });
});
