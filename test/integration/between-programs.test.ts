// Programs hand contacts to each other: "enroll in program" starts another program's
// "Enrolled by a program" entry, and "remove from program" takes a contact out of a
// program wherever they wait in it.
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

const runs = async (programId: string) =>
  (await db.query('SELECT c.email, e.status, e.exit_reason FROM enrollments e JOIN contacts c ON c.id = e.contact_id WHERE e.program_id = $1 ORDER BY c.email', [programId])).rows;

test('a yes moves the contact into nurture and out of the reactivation loop', async () => {
  const nurture = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Nurture',
    nodes: [
      { id: 'in', type: 'tend.trigger.enrolled', version: 1, config: {} },
      { id: 'hello', type: 'tend.action.email', version: 1, config: { subject: 'Glad you are still with us', html: '<p>Here is what is new.</p>' } },
    ],
    edges: [{ id: 'e1', source: 'in', sourcePort: 'next', target: 'hello' }],
  });
  const otherEntry = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Some other program with the same entry',
    nodes: [
      { id: 'in', type: 'tend.trigger.enrolled', version: 1, config: {} },
      { id: 'mark', type: 'tend.action.update-contact', version: 1, config: { operations: [{ op: 'set', field: 'wrongly_enrolled', value: true }] } },
    ],
    edges: [{ id: 'e1', source: 'in', sourcePort: 'next', target: 'mark' }],
  });
  const reactivation = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Still interested?',
    nodes: [
      { id: 'quiet', type: 'tend.trigger.event', version: 1, config: { eventType: 'went_quiet' } },
      { id: 'wait', type: 'tend.wait.duration', version: 1, config: { duration: '10 minutes' } },
      { id: 'again', type: 'tend.action.email', version: 1, config: { subject: 'Last chance', html: '<p>…</p>' } },
    ],
    edges: [{ id: 'e1', source: 'quiet', sourcePort: 'next', target: 'wait' }, { id: 'e2', source: 'wait', sourcePort: 'next', target: 'again' }],
  });
  const answered = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Answered yes',
    nodes: [
      { id: 'yes', type: 'tend.trigger.event', version: 1, config: { eventType: 'answered_yes' } },
      { id: 'out', type: 'tend.action.remove-from', version: 1, config: { programId: reactivation } },
      { id: 'into', type: 'tend.action.enroll-in', version: 1, config: { programId: nurture } },
    ],
    edges: [{ id: 'e1', source: 'yes', sourcePort: 'next', target: 'out' }, { id: 'e2', source: 'out', sourcePort: 'next', target: 'into' }],
  });

  for (const email of ['yes@example.com', 'silent@example.com']) await tend.event({ type: 'went_quiet', email });
  await tend.until(async () => (await tend.api('GET', `/api/flows/${reactivation}/stats`)).body.nodes.wait.waiting === 2, 'both to wait');
  await tend.event({ type: 'answered_yes', email: 'yes@example.com' });

  const [mail] = await tend.mailbox.waitFor(1);
  expect(mail!.subject).toBe('Glad you are still with us');
  await tend.until(async () => (await runs(reactivation)).some((r) => r.status === 'exited'), 'the removal');
  expect(await runs(reactivation)).toEqual([
    { email: 'silent@example.com', status: 'active', exit_reason: null },
    { email: 'yes@example.com', status: 'exited', exit_reason: 'removed by Answered yes' },
  ]);
  expect((await runs(nurture)).map((r) => r.email)).toEqual(['yes@example.com']);
  expect(await runs(otherEntry)).toEqual([]);
  expect((await runs(answered)).map((r) => r.status)).toEqual(['completed']);
});
