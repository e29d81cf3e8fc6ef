import { expect, test } from 'vitest';
import { changeLines, changedBy } from './contact-changes.js';

test('a change in words, field by field, and who made it', () => {
  const properties = {
    changes: { phone: { from: null, to: '+49 30 1234' }, tags: { from: ['a'], to: ['a', 'vip'] }, attributes: { city: { from: 'Berlin', to: 'Paris' }, plan: { from: 'pro', to: null } }, consent: { sms: { from: null, to: true } } },
    by: 'ada@example.com',
  };
  expect(changeLines(properties)).toEqual([
    { what: 'Phone', from: '—', to: '+49 30 1234' },
    { what: 'Tags', from: 'a', to: 'a, vip' },
    { what: 'city', from: 'Berlin', to: 'Paris' },
    { what: 'plan', from: 'pro', to: '—' },
    { what: 'Consent: sms', from: '—', to: 'true' },
  ]);
  expect(changedBy(properties, () => 'x')).toBe('ada@example.com');
  expect(changedBy({ programId: 'p1', nodeId: 'set-vip' }, (id) => `Program ${String(id)}`)).toBe('Program p1 · set-vip');
  expect(changedBy({ formId: 'f' }, () => '')).toBe('a form submission');
  expect(changedBy({}, () => '')).toBe('an event or an import');
});
