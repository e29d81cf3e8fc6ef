// Concurrent identifies of one new email from one browser (a page that fires identify
// on every tab, a double-submitted form) used to deadlock at the contact lock and
// answer 500, losing the events they carried. They take turns now: every request is
// accepted, one contact exists, and every event is stored on it.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
let key: string;
beforeAll(async () => {
  tend = await startTend({ worker: false });
  key = (await tend.api('POST', '/api/site-keys', { name: 'www' })).body.key;
});
afterAll(async () => {
  await tend?.stop();
});

test('20 concurrent identifies with one new email and one visitor id: all accepted, one contact, every event kept', async () => {
  const send = (i: number) => fetch(`${tend.url}/t/collect`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ key, anonymousId: 'tabs-visitor-0001', identify: { email: 'race@example.com', attributes: { first_name: 'Ray' } }, events: [{ type: 'tab_opened', properties: { n: i }, clientId: `tab-${String(i).padStart(4, '0')}` }] }),
  }).then(async (r) => { await r.arrayBuffer(); return r.status; });
  const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => send(i)));
  expect(statuses).toEqual(Array(20).fill(202));
  const contacts = await tend.sql("SELECT id FROM contacts WHERE email = 'race@example.com'");
  expect(contacts).toHaveLength(1);
  const events = await tend.sql("SELECT contact_id, (properties->>'n')::int AS n FROM events WHERE type = 'tab_opened' ORDER BY 2");
  expect(events.map((e) => e.n)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  expect(new Set(events.map((e) => e.contact_id))).toEqual(new Set([contacts[0].id]));
});

test('10 concurrent form submissions with one new email: all thanked, one contact, every submission kept', async () => {
  const form = (await tend.api('POST', '/api/forms', { name: 'Signup', fields: [{ name: 'email', label: 'Email', type: 'email', required: true }] })).body;
  const statuses = await Promise.all(Array.from({ length: 10 }, () => fetch(`${tend.url}/f/${form.id}/submit`, {
    method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ values: { email: 'double@example.com' }, anonymousId: 'form-visitor-0001' }),
  }).then(async (r) => { await r.arrayBuffer(); return r.status; })));
  expect(statuses).toEqual(Array(10).fill(200));
  expect(await tend.sql("SELECT id FROM contacts WHERE email = 'double@example.com'")).toHaveLength(1);
  expect((await tend.sql("SELECT count(*)::int AS n FROM events WHERE type = 'form_submitted'"))[0].n).toBe(10);
});
