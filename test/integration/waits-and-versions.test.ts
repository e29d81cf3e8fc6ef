// Waiting for an event moves the contact on the moment it arrives; re-entry rules;
// a contact keeps the program version it entered with when a new one is published.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
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

const stats = async (id: string) => (await tend.api('GET', `/api/flows/${id}/stats`)).body;
const subjectsTo = (email: string) => tend.mailbox.messages.filter((m) => (m.to as { text: string }).text === email).map((m) => m.subject);

test('an event during a wait moves the contact on at once, long before the timeout', async () => {
  const id = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Activation',
    nodes: [
      { id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } },
      { id: 'wait', type: 'tend.wait.event', version: 1, config: { eventType: 'activated', timeout: '10 minutes', where: { field: 'event.properties.step', op: 'eq', value: 'first_project' } } },
      { id: 'done', type: 'tend.action.email', version: 1, config: { subject: 'Nice first project', html: '<p>!</p>' } },
      { id: 'nudge', type: 'tend.action.email', version: 1, config: { subject: 'Need a hand?', html: '<p>?</p>' } },
    ],
    edges: [
      { id: 'e1', source: 'signup', sourcePort: 'next', target: 'wait' },
      { id: 'e2', source: 'wait', sourcePort: 'event', target: 'done' },
      { id: 'e3', source: 'wait', sourcePort: 'timeout', target: 'nudge' },
    ],
  });
  await tend.event({ type: 'signed_up', email: 'eve@example.com' });
  await tend.until(async () => (await stats(id)).nodes.wait.waiting === 1, 'the wait');
  await tend.event({ type: 'activated', email: 'eve@example.com', properties: { step: 'profile_photo' } }); // does not match the filter
  await tend.event({ type: 'activated', email: 'someone-else@example.com', properties: { step: 'first_project' } }); // another contact
  await new Promise((r) => setTimeout(r, 700));
  expect((await stats(id)).nodes.wait.waiting).toBe(1);
  await tend.event({ type: 'activated', email: 'eve@example.com', properties: { step: 'first_project' } });
  await tend.until(async () => (await stats(id)).enrollments.completed === 1, 'the run to end', 15000);
  expect(subjectsTo('eve@example.com')).toEqual(['Nice first project']);
  expect((await stats(id)).edges.e2.count).toBe(1);
});

describe('re-entry', () => {
  const program = (reentry: string, extra: Record<string, unknown> = {}) => ({
    format: 'tend.flow/v1',
    name: `reentry ${reentry}`,
    settings: { reentry, ...extra },
    nodes: [
      { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: `visit_${reentry}` } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: `hello ${reentry}`, html: '<p>hi</p>', marketing: false } },
    ],
    edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'mail' }],
  });
  const entries = async (id: string) => Number((await db.query('SELECT count(*) FROM enrollments WHERE program_id = $1', [id])).rows[0].count);

  test('never: a contact enters once; afterExit: again once the run ended; afterPeriod: not within the period', async () => {
    const never = await tend.publish(program('never'));
    const afterExit = await tend.publish(program('afterExit'));
    const afterPeriod = await tend.publish(program('afterPeriod', { reentryAfter: '1 day' }));
    for (let round = 0; round < 3; round++) {
      for (const kind of ['never', 'afterExit', 'afterPeriod']) await tend.event({ type: `visit_${kind}`, email: 'rex@example.com' });
      await tend.until(async () => (await stats(afterExit)).enrollments.completed === round + 1, `round ${round}`);
    }
    expect([await entries(never), await entries(afterExit), await entries(afterPeriod)]).toEqual([1, 3, 1]);
  });
});

test('publishing a new version does not disturb a contact already inside; new contacts get the new version', async () => {
  const v1 = {
    format: 'tend.flow/v1',
    name: 'Versioned',
    nodes: [
      { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'joined' } },
      { id: 'wait', type: 'tend.wait.duration', version: 1, config: { duration: '2 seconds' } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'Version one', html: '<p>1</p>' } },
    ],
    edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'wait' }, { id: 'e2', source: 'wait', sourcePort: 'next', target: 'mail' }],
  };
  const id = await tend.publish(v1);
  await tend.event({ type: 'joined', email: 'early@example.com' });
  await tend.until(async () => (await stats(id)).nodes.wait.waiting === 1, 'the early contact to wait');

  const v2 = structuredClone(v1);
  v2.nodes[2]!.config.subject = 'Version two';
  expect((await tend.api('PUT', `/api/flows/${id}`, v2)).status).toBe(200);
  const published = await tend.api('POST', `/api/flows/${id}/publish`);
  expect(published.body.version).toBe(2);
  await tend.event({ type: 'joined', email: 'late@example.com' });

  await tend.until(async () => (await stats(id)).enrollments.completed === 2, 'both runs', 20000);
  expect(subjectsTo('early@example.com')).toEqual(['Version one']);
  expect(subjectsTo('late@example.com')).toEqual(['Version two']);
  const versions = (await db.query('SELECT c.email, e.version FROM enrollments e JOIN contacts c ON c.id = e.contact_id WHERE e.program_id = $1 ORDER BY c.email', [id])).rows;
  expect(versions).toEqual([{ email: 'early@example.com', version: 1 }, { email: 'late@example.com', version: 2 }]);
});
