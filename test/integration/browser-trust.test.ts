// What a browser may write about a contact (engine/audience/browser-trust.ts). Outside testing
// took a customer's record with the public site key: identify with the customer's
// email overwrote stage, owner and name, and a notify-owner program then mailed the
// customer's phone number to the attacker's address. Now a browser fills empty fields
// only, never the protected ones, and changes more only after a signed email link
// proved whose browser it is; forms follow the same rule.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { visitToken } from '../../engine/delivery/engagement.js';

let tend: Tend;
let key: string;
beforeAll(async () => {
  tend = await startTend();
  key = (await tend.api('POST', '/api/site-keys', { name: 'www' })).body.key;
  await tend.publish({
    format: 'tend.flow/v1',
    name: 'Demo requests go to the owner',
    nodes: [
      { id: 'asked', type: 'tend.trigger.event', version: 1, config: { eventType: 'demo_requested' } },
      { id: 'tell', type: 'tend.action.notify-owner', version: 1, config: { subject: 'Demo for {{contact.email}}', html: '<p>Call {{contact.attributes.first_name}} on {{contact.phone}}</p>' } },
    ],
    edges: [{ id: 'e1', source: 'asked', sourcePort: 'next', target: 'tell' }],
  });
});
afterAll(async () => {
  await tend?.stop();
});

const collect = async (body: unknown) => {
  const res = await fetch(`${tend.url}/t/collect`, { method: 'POST', headers: { 'content-type': 'text/plain', origin: 'https://www.example.com' }, body: JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
};
const contact = async (id: string) => (await tend.api('GET', `/api/contacts/${id}`)).body;

test('the site key cannot take over a customer: set fields, stage and owner stay, the owner gets the lead, the attacker gets nothing', async () => {
  const grace = (await tend.api('PUT', '/api/contacts', { email: 'grace@example.com', phone: '+15550100', attributes: { stage: 'customer', owner: 'rep@company.example', first_name: 'Grace' } })).body;
  const status = await collect({
    key,
    anonymousId: 'mallory-browser-01',
    identify: { email: 'Grace@Example.com', attributes: { stage: 'lead', owner: 'mallory@evil.example', first_name: 'Mallory', company: 'Navy' } },
    events: [{ type: 'demo_requested' }],
  });
  expect(status).toBe(202);
  // Empty fields are filled (the visitor may well be Grace); set and protected ones are not.
  expect((await contact(grace.id)).attributes).toEqual({ stage: 'customer', owner: 'rep@company.example', first_name: 'Grace', company: 'Navy' });
  const sent = await tend.until(async () => tend.mailbox.messages.find((m) => m.subject === 'Demo for grace@example.com'), 'the owner notification');
  expect(JSON.stringify(sent.to)).toContain('rep@company.example');
  expect(sent.html).toContain('Call Grace on +15550100');
  expect(tend.mailbox.messages.filter((m) => JSON.stringify(m.to).includes('evil.example'))).toEqual([]);

  // Later writes from the same browser (now linked to Grace) have no more power.
  expect(await collect({ key, anonymousId: 'mallory-browser-01', identify: { email: 'grace@example.com', attributes: { first_name: 'M2', owner: 'mallory@evil.example' } } })).toBe(202);
  expect((await contact(grace.id)).attributes).toMatchObject({ first_name: 'Grace', owner: 'rep@company.example' });
});

test('protected fields are never set from a browser, even where empty: a lead without an owner is not handed to the attacker', async () => {
  const lead = (await tend.api('PUT', '/api/contacts', { email: 'lin@example.com', phone: '+15550111' })).body;
  expect(await collect({ key, anonymousId: 'mallory-browser-02', identify: { email: 'lin@example.com', attributes: { owner: 'mallory@evil.example', stage: 'customer', rfm_segment: 'champions' } }, events: [{ type: 'demo_requested' }] })).toBe(202);
  await tend.until(async () => (await tend.sql("SELECT 1 FROM node_visits v JOIN enrollments e ON e.id = v.enrollment_id WHERE e.contact_id = $1 AND v.node_id = 'tell' AND v.port = 'no_owner'", [lead.id])).length > 0, 'the no-owner port');
  expect((await contact(lead.id)).attributes).toEqual({});
  expect(tend.mailbox.messages.filter((m) => JSON.stringify(m.to).includes('evil.example'))).toEqual([]);
});

test('a new visitor creates a contact with what they say; a browser proved by a signed link may correct its own fields, never protected ones', async () => {
  expect(await collect({ key, anonymousId: 'new-visitor-0001', identify: { email: 'ada@example.com', attributes: { first_name: 'Ada', plan: 'free' } } })).toBe(202);
  const ada = (await tend.api('GET', '/api/contacts?email=ada@example.com')).body.contacts[0];
  expect(ada.attributes).toEqual({ first_name: 'Ada', plan: 'free' });
  // Unproved, the same browser cannot change them…
  await collect({ key, anonymousId: 'new-visitor-0001', identify: { email: 'ada@example.com', attributes: { plan: 'pro' } } });
  expect((await contact(ada.id)).attributes.plan).toBe('free');
  // …after a click from Ada's own email (the signed tend_c token) it can, except stage and owner.
  const secret = (await tend.sql("SELECT value FROM settings WHERE key = 'signing_secret'"))[0].value;
  expect(await collect({ key, anonymousId: 'new-visitor-0001', contactToken: visitToken(secret, ada.id), events: [{ type: 'page_view', properties: { url: 'https://www.example.com/', path: '/' } }] })).toBe(202);
  expect(await collect({ key, anonymousId: 'new-visitor-0001', identify: { email: 'ada@example.com', attributes: { plan: 'pro', stage: 'customer' } } })).toBe(202);
  expect((await contact(ada.id)).attributes).toEqual({ first_name: 'Ada', plan: 'pro' });
  // The proof belongs to that browser: another browser typing Ada's email still only fills.
  await collect({ key, anonymousId: 'other-browser-01', identify: { email: 'ada@example.com', attributes: { plan: 'enterprise' } } });
  expect((await contact(ada.id)).attributes.plan).toBe('pro');
});

test('forms follow the same rule: answers fill empty fields and change nothing set', async () => {
  const form = (await tend.api('POST', '/api/forms', { name: 'Contact us', fields: [{ name: 'email', label: 'Email', type: 'email', required: true }, { name: 'first_name', label: 'First name', type: 'text' }, { name: 'company', label: 'Company', type: 'text' }] })).body;
  const kim = (await tend.api('PUT', '/api/contacts', { email: 'kim@example.com', attributes: { first_name: 'Kim' } })).body;
  const res = await fetch(`${tend.url}/f/${form.id}/submit`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ values: { email: 'kim@example.com', first_name: 'Mallory', company: 'Evil Corp' } }) });
  expect(res.status).toBe(200);
  expect((await contact(kim.id)).attributes).toEqual({ first_name: 'Kim', company: 'Evil Corp' });
  // The submission itself is kept whole on the timeline, so nothing said is lost.
  const submitted = (await tend.api('GET', `/api/contacts/${kim.id}/timeline`)).body.entries.find((e: any) => e.type === 'form_submitted');
  expect(submitted.properties.values).toMatchObject({ first_name: 'Mallory' });
});
