// A long-lived run continues as new before its history grows large, and carries on
// exactly where it was: loop counts, pending sends and all.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
let temporal: Client;
beforeAll(async () => {
  tend = await startTend({ historyLimit: 30 });
  temporal = new Client({ connection: await Connection.connect({ address: tend.temporalAddress }) });
});
afterAll(async () => {
  await temporal?.connection.close();
  await tend?.stop();
});

test('a run that loops many times continues as new and keeps its loop count', async () => {
  const ROUNDS = 10;
  const id = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Many rounds',
    nodes: [
      { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'spin' } },
      { id: 'point', type: 'tend.action.score', version: 1, config: { delta: 1, reason: 'round' } },
      // A zero wait: a timer, so each round is its own workflow task, as waits make them.
      { id: 'pause', type: 'tend.wait.duration', version: 1, config: { duration: '0 seconds' } },
      { id: 'again', type: 'tend.logic.loop', version: 1, config: { times: ROUNDS } },
      { id: 'done', type: 'tend.action.email', version: 1, config: { subject: 'Score {{contact.score}}', html: '<p>done</p>' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'point' },
      { id: 'e2', source: 'point', sourcePort: 'next', target: 'pause' },
      { id: 'e5', source: 'pause', sourcePort: 'next', target: 'again' },
      { id: 'e3', source: 'again', sourcePort: 'again', target: 'point' },
      { id: 'e4', source: 'again', sourcePort: 'done', target: 'done' },
    ],
  });
  await tend.event({ type: 'spin', email: 'spinner@example.com' });
  const [mail] = await tend.mailbox.waitFor(1, 60000);
  expect(mail!.subject).toBe(`Score ${ROUNDS + 1}`);
  await tend.until(async () => (await tend.api('GET', `/api/flows/${id}/stats`)).body.enrollments.completed === 1, 'the run to end');

  const db = new pg.Client({ connectionString: tend.databaseUrl });
  await db.connect();
  const { rows: [enrollment] } = await db.query('SELECT id FROM enrollments WHERE program_id = $1', [id]);
  const visits = (await db.query("SELECT node_id, count(*)::int AS n FROM node_visits WHERE enrollment_id = $1 GROUP BY 1 ORDER BY 1", [enrollment.id])).rows;
  await db.end();
  expect(visits).toEqual([{ node_id: 'again', n: ROUNDS + 1 }, { node_id: 'done', n: 1 }, { node_id: 'pause', n: ROUNDS + 1 }, { node_id: 'point', n: ROUNDS + 1 }, { node_id: 'start', n: 1 }]);

  const runs = await tend.until(async () => {
    const found: string[] = [];
    for await (const wf of temporal.workflow.list({ query: `WorkflowId = 'enrollment-${enrollment.id}'` })) found.push(wf.status.name);
    return found.includes('COMPLETED') && found;
  }, 'the runs to be listed');
  expect(runs.filter((s) => s === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(2);
  expect(runs.filter((s) => s === 'COMPLETED')).toHaveLength(1);
});
