// The batch path of event ingestion: contacts found or created in bulk, client ids
// de-duplicated within a batch and across batches, the request's order kept for
// dispatch, and a bad event anywhere storing nothing at all.
import { afterAll, beforeAll, expect, test } from 'vitest';
import pg from 'pg';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
let db: pg.Client;
beforeAll(async () => {
  tend = await startTend({ worker: false });
  db = new pg.Client({ connectionString: tend.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await tend?.stop();
});

const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].n);

test('a batch finds and creates contacts by each kind of identity and stores every event once', async () => {
  const known = await tend.api('PUT', '/api/contacts', { email: 'known@example.com', externalId: 'crm-1' });
  const knownId = known.body.id ?? known.body.contact?.id;
  expect(knownId).toBeTruthy();
  const res = await tend.api('POST', '/api/events/batch', { events: [
    { type: 'viewed', email: 'Known@Example.com', clientId: 'c1' },
    { type: 'viewed', email: 'new@example.com', clientId: 'c2' },
    { type: 'viewed', externalId: 'crm-1' },
    { type: 'viewed', externalId: 'crm-2' },
    { type: 'viewed', contactId: knownId },
    { type: 'viewed', email: 'new@example.com', clientId: 'c2' }, // repeated in the batch
    { type: 'viewed', email: 'both@example.com', externalId: 'crm-3', contact: { attributes: { plan: 'pro' } } },
  ] });
  expect(res.status).toBe(202);
  const out = res.body.events as { id: string; contactId: string; duplicate: boolean }[];
  expect(out.map((e) => e.duplicate)).toEqual([false, false, false, false, false, true, false]);
  expect(out[5]!.id).toBe(out[1]!.id);
  expect(new Set([out[0]!.contactId, out[2]!.contactId, out[4]!.contactId])).toEqual(new Set([knownId]));
  // (Contact changes are events too: count only the ones sent.)
  expect(await count("SELECT count(*) AS n FROM events WHERE type = 'viewed'")).toBe(6);
  expect(await count("SELECT count(*) AS n FROM outbox o JOIN events e ON e.id = o.event_id WHERE e.type = 'viewed'")).toBe(6);
  expect(await count("SELECT count(*) AS n FROM contacts WHERE email = 'new@example.com'")).toBe(1);
  expect(await count("SELECT count(*) AS n FROM contacts WHERE external_id = 'crm-2' AND email IS NULL")).toBe(1);
  const both = (await db.query("SELECT external_id, attributes FROM contacts WHERE email = 'both@example.com'")).rows[0];
  expect(both).toEqual({ external_id: 'crm-3', attributes: { plan: 'pro' } });
  // Dispatch order is the request's order.
  const order = (await db.query("SELECT o.event_id FROM outbox o JOIN events e ON e.id = o.event_id WHERE e.type = 'viewed' ORDER BY o.id")).rows.map((r) => r.event_id);
  expect(order).toEqual([0, 1, 2, 3, 4, 6].map((i) => out[i]!.id));

  const again = await tend.api('POST', '/api/events/batch', { events: [{ type: 'viewed', email: 'new@example.com', clientId: 'c2' }, { type: 'viewed', email: 'x@example.com', clientId: 'c1' }] });
  expect(again.body.events.map((e: { duplicate: boolean }) => e.duplicate)).toEqual([true, true]);
  expect(again.body.events[0].id).toBe(out[1]!.id);
  expect(await count("SELECT count(*) AS n FROM events WHERE type = 'viewed'")).toBe(6);
  expect(await count("SELECT count(*) AS n FROM contacts WHERE email = 'x@example.com'")).toBe(0);
});

test('one bad event in a batch stores nothing and names it', async () => {
  const before = await count('SELECT count(*) AS n FROM events');
  const contactsBefore = await count('SELECT count(*) AS n FROM contacts');
  const res = await tend.api('POST', '/api/events/batch', { events: [
    { type: 'viewed', email: 'fine@example.com' },
    { type: 'viewed', contactId: '00000000-0000-4000-8000-000000000000' },
  ] });
  expect(res.status).toBe(404);
  expect(res.body.errors).toEqual([{ path: '/events/1/contactId', message: expect.stringContaining('no contact has id') }]);
  expect(await count('SELECT count(*) AS n FROM events')).toBe(before);
  expect(await count('SELECT count(*) AS n FROM contacts')).toBe(contactsBefore);
});

test('the same client id sent by concurrent requests is stored once', async () => {
  const send = () => tend.api('POST', '/api/events', { type: 'paid', email: 'race@example.com', clientId: 'order-77' });
  const results = await Promise.all([send(), send(), send(), send()]);
  expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 202]);
  expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
  expect(await count("SELECT count(*) AS n FROM events WHERE client_id = 'order-77'")).toBe(1);
});
