// Pop-up forms: one test per problem the schema cannot see, and who gets which pop-up.
import { describe, expect, test } from 'vitest';
import { popupProblems, popupsFor, type Popup, type PopupInput } from './form-popups.js';

const base: PopupInput = { style: 'modal', trigger: 'scroll', threshold: 50, hideDaysAfterClose: 7, hideDaysAfterSubmit: 365, segments: [], active: true };
const segments = new Set(['trial', 'vip']);

describe('popupProblems', () => {
  test('a scroll, time or page-views trigger needs a threshold in its range', () => {
    expect(popupProblems({ ...base, threshold: undefined }, segments)).toEqual([{ path: '/threshold', message: 'a scroll trigger needs a threshold from 1 to 100 (percent of the page scrolled)' }]);
    expect(popupProblems({ ...base, threshold: 101 }, segments)[0]!.path).toBe('/threshold');
    expect(popupProblems({ ...base, trigger: 'time', threshold: 3600 }, segments)).toEqual([]);
    expect(popupProblems({ ...base, trigger: 'page-views', threshold: 101 }, segments)[0]!.message).toContain('page views');
  });
  test('exit intent takes no threshold', () => {
    expect(popupProblems({ ...base, trigger: 'exit-intent' }, segments)).toEqual([{ path: '/threshold', message: 'exit intent takes no threshold' }]);
    expect(popupProblems({ ...base, trigger: 'exit-intent', threshold: undefined }, segments)).toEqual([]);
  });
  test('a segment that does not exist is named by its index', () => {
    expect(popupProblems({ ...base, segments: ['vip', 'gone'] }, segments)).toEqual([{ path: '/segments/1', message: 'no segment has key "gone"' }]);
  });
});

describe('popupsFor', () => {
  const popup = (formId: string, p: Partial<PopupInput>): Popup => ({ ...base, ...p, formId, updatedAt: '2026-01-01T00:00:00.000Z' });
  const all = [popup('a', {}), popup('b', { segments: ['trial'] }), popup('c', { active: false })];
  test('a stranger gets the pop-ups for everyone, active ones only, without the audience', () => {
    expect(popupsFor(all, undefined)).toEqual([{ formId: 'a', style: 'modal', trigger: 'scroll', threshold: 50, hideDaysAfterClose: 7, hideDaysAfterSubmit: 365 }]);
  });
  test('a contact in a named segment gets that one too', () => {
    expect(popupsFor(all, { segments: ['trial'] }).map((p) => p.formId)).toEqual(['a', 'b']);
    expect(popupsFor(all, { segments: ['vip'] }).map((p) => p.formId)).toEqual(['a']);
  });
});
