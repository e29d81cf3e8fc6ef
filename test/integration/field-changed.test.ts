// Life-event programs: a change of a contact field — through the contacts API, an
// event's contact patch or a program node — starts programs listening for it.
import { afterAll, beforeAll, expect, test } from 'vitest';
import pg from 'pg';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
let db: pg.Client;
beforeAll(async () => {
  tend = await startTend();
  db = new pg.Client({ connectionString: tend.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await tend?.stop();
});

const entries = async (id: string) =>
  (await db.query('SELECT c.email FROM enrollments e JOIN contacts c ON c.id = e.contact_id WHERE e.program_id = $1 ORDER BY e.entered_at', [id])).rows.map((r) => r.email);

test('moving house starts the movers program, whichever way the address changed; other changes do not', async () => {
  const movers = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Moved',
    settings: { reentry: 'afterExit' },
    nodes: [
      { id: 'moved', type: 'tend.trigger.field-changed', version: 1, config: { field: 'attributes.city' } },
      { id: 'offer', type: 'tend.action.email', version: 1, config: { subject: 'Welcome to {{contact.attributes.city}}', html: '<p>Movers’ offer</p>' } },
    ],
    edges: [{ id: 'e1', source: 'moved', sourcePort: 'next', target: 'offer' }],
  });
  const toPro = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Upgraded',
    nodes: [
      { id: 'up', type: 'tend.trigger.field-changed', version: 1, config: { field: 'attributes.plan', from: 'free', to: 'pro' } },
      { id: 'thanks', type: 'tend.action.update-contact', version: 1, config: { operations: [{ op: 'set', field: 'city', value: 'Pro City' }] } },
    ],
    edges: [{ id: 'e1', source: 'up', sourcePort: 'next', target: 'thanks' }],
  });

  const moves = async (n: number) => tend.until(async () => (await tend.api('GET', `/api/flows/${movers}/stats`)).body.enrollments.completed === n, `${n} move(s)`, 20000);
  // A contact re-enters once the previous run ended (re-entry afterExit): one change at a time.
  await tend.api('PUT', '/api/contacts', { email: 'a@example.com', attributes: { city: 'Hamburg', plan: 'free' } }); // first values: a change from nothing
  await moves(1);
  await tend.api('PUT', '/api/contacts', { email: 'a@example.com', attributes: { city: 'Hamburg' } }); // no change
  await tend.api('PUT', '/api/contacts', { email: 'a@example.com', attributes: { city: 'Berlin' } });
  await moves(2);
  await tend.event({ type: 'profile_saved', email: 'b@example.com', contact: { attributes: { city: 'Munich', plan: 'free' } } });
  await moves(3);
  await tend.api('PUT', '/api/contacts', { email: 'b@example.com', attributes: { plan: 'pro' } }); // → the program sets the city: a third way
  await tend.api('PUT', '/api/contacts', { email: 'c@example.com', attributes: { plan: 'team' } });
  await moves(4);
  await new Promise((r) => setTimeout(r, 800));
  expect(await entries(movers)).toEqual(['a@example.com', 'a@example.com', 'b@example.com', 'b@example.com']);
  expect(await entries(toPro)).toEqual(['b@example.com']);
  await tend.mailbox.waitFor(4);
  expect(tend.mailbox.messages.map((m) => m.subject).sort()).toEqual(['Welcome to Berlin', 'Welcome to Hamburg', 'Welcome to Munich', 'Welcome to Pro City']);

  const change = (await db.query("SELECT e.properties FROM events e JOIN contacts c ON c.id = e.contact_id WHERE c.email = 'b@example.com' AND e.type = 'tend.contact_changed' AND e.properties ? 'programId'")).rows[0].properties;
  expect(change).toMatchObject({ changes: { attributes: { city: { from: 'Munich', to: 'Pro City' } } }, programId: toPro, nodeId: 'thanks' });
});
