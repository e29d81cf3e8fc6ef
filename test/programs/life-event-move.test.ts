// Program 6, a life event: a changed address starts the program, which offers by
// region; other field changes, and unsubscribed movers, get nothing.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { template } from '../support/templates.js';

let tend: Tend;
beforeAll(async () => {
  tend = await startTend();
  const imported = await tend.api('POST', '/api/flows/import', template('life-event-move'));
  expect((await tend.api('POST', `/api/flows/${imported.body.id}/publish`)).status).toBe(200);
});
afterAll(async () => { await tend?.stop(); });

const subjects = (email: string) => tend.mailbox.messages.filter((m) => (m.to as { text: string }).text === email).map((m) => m.subject);

test('offers by region after a move; no offer for other changes or to the unsubscribed', async () => {
  await tend.api('PUT', '/api/contacts', { email: 'n@example.com', attributes: { plan: 'basic' } });
  await tend.api('PUT', '/api/contacts', { email: 'n@example.com', attributes: { city: 'Hamburg', postcode: '20095' } });
  await tend.event({ type: 'address_updated', email: 's@example.com', contact: { attributes: { city: 'Munich', postcode: '80331' } } });
  await tend.api('PUT', '/api/contacts', { email: 'x@example.com', attributes: { city: 'Cologne', postcode: '50667' } });
  await tend.api('PUT', '/api/contacts', { email: 'nope@example.com', consent: { email: false }, attributes: { city: 'Berlin', postcode: '10115' } });
  await tend.api('PUT', '/api/contacts', { email: 'plan@example.com', attributes: { plan: 'pro' } });
  await tend.mailbox.waitFor(3);
  await new Promise((r) => setTimeout(r, 1500));
  expect(subjects('n@example.com')).toEqual(['Welcome to Hamburg: your northern energy tariff']);
  expect(subjects('s@example.com')).toEqual(['Welcome to Munich: your southern energy tariff']);
  expect(subjects('x@example.com')).toEqual(['Moved? Compare home insurance for Cologne']);
  expect(subjects('nope@example.com')).toEqual([]);
  expect(subjects('plan@example.com')).toEqual([]);
  expect(tend.mailbox.messages).toHaveLength(3);
});
