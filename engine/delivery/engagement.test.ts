// The signed contact token on email clicks to a tracked site: valid for ten minutes
// after the click, for that contact only, and only when Tend signed it.
import { expect, test } from 'vitest';
import { VISIT_TOKEN_MAX_AGE_S, verifyVisitToken, visitToken } from './engagement.js';

const secret = 'a-test-secret';
const contact = '7a1c7e2e-6f0e-4c57-9d7e-1b1c1f1d0a01';
const clickedAt = new Date('2030-03-01T12:00:00Z');

test('valid within ten minutes of the click, for the contact it names', () => {
  const token = visitToken(secret, contact, clickedAt);
  expect(verifyVisitToken(secret, token, clickedAt)).toBe(contact);
  expect(verifyVisitToken(secret, token, new Date(clickedAt.getTime() + (VISIT_TOKEN_MAX_AGE_S - 1) * 1000))).toBe(contact);
  expect(verifyVisitToken(secret, token, new Date(clickedAt.getTime() + (VISIT_TOKEN_MAX_AGE_S + 1) * 1000))).toBeUndefined();
});

test('another secret, another contact, another time or garbage: refused', () => {
  const token = visitToken(secret, contact, clickedAt);
  const [, at, sig] = token.split('.');
  expect(verifyVisitToken('other-secret', token, clickedAt)).toBeUndefined();
  expect(verifyVisitToken(secret, `00000000-0000-4000-8000-000000000000.${at}.${sig}`, clickedAt)).toBeUndefined();
  expect(verifyVisitToken(secret, `${contact}.${Number(at) + 60}.${sig}`, clickedAt)).toBeUndefined();
  expect(verifyVisitToken(secret, 'nonsense', clickedAt)).toBeUndefined();
  expect(verifyVisitToken(secret, `${token}.more`, clickedAt)).toBeUndefined();
});
