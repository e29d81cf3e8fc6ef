// Program 8, renewal reminders, from its template with offsets in seconds (6 s apart,
// so a loaded machine still renews between two reminders): three
// reminders up to the day; renewing ends the run; no renewal date, no reminders.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { template } from '../support/templates.js';

let tend: Tend;
beforeAll(async () => {
  tend = await startTend();
  const doc = template('renewal', {
    soon: { offset: '-12 seconds', atLocalTime: undefined },
    week: { offset: '-6 seconds' },
  });
  const imported = await tend.api('POST', '/api/flows/import', JSON.parse(JSON.stringify(doc)));
  expect(imported.status, JSON.stringify(imported.body)).toBe(201);
  expect((await tend.api('POST', `/api/flows/${imported.body.id}/publish`)).status).toBe(200);
});
afterAll(async () => { await tend?.stop(); });

const subjects = (email: string) => tend.mailbox.messages.filter((m) => (m.to as { text: string }).text === email).map((m) => m.subject);

test('three reminders up to the renewal date; a renewal stops them; no date, no reminders', async () => {
  const renewsAt = new Date(Date.now() + 16000).toISOString();
  await tend.api('PUT', '/api/contacts', { email: 'stays@example.com', attributes: { renewal_date: renewsAt } });
  await tend.api('PUT', '/api/contacts', { email: 'renews@example.com', attributes: { renewal_date: renewsAt } });
  await tend.api('PUT', '/api/contacts', { email: 'nodate@example.com', attributes: { plan: 'pro' } });

  await tend.until(async () => subjects('renews@example.com').length === 1, 'the first reminder', 20000);
  await tend.event({ type: 'contract_renewed', email: 'renews@example.com' });
  await tend.until(async () => subjects('stays@example.com').length === 3, 'all three reminders', 40000);
  await new Promise((r) => setTimeout(r, 1000));

  expect(subjects('stays@example.com')).toEqual([
    expect.stringMatching(/^Your contract renews on /),
    'One week to your renewal',
    'Your contract renews today',
  ]);
  expect(subjects('renews@example.com')).toHaveLength(1);
  expect(subjects('nodate@example.com')).toEqual([]);
});
