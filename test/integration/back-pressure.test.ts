// Back-pressure: while the workers are behind (more workflow tasks waiting on the task
// queue than TEND_DISPATCH_BACKLOG), the dispatcher leaves events in the outbox instead
// of starting more runs, and hands them over once a worker takes the queue down.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';

const LIMIT = 20;
const program = {
  format: 'tend.flow/v1',
  name: 'Back-pressure',
  nodes: [
    { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'bp_signed_up' } },
    { id: 'tag', type: 'tend.action.update-contact', version: 1, config: { operations: [{ op: 'addTag', tag: 'welcomed' }] } },
  ],
  edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'tag' }],
};

let tend: Tend;
beforeAll(async () => {
  // Runs one by one, each its own workflow (TEND_FIRST_STEPS=off): with first steps a
  // batch of new runs is one workflow task, and 50 sign-ups would never make a backlog of 20.
  tend = await startTend({ worker: false, env: { TEND_DISPATCH_BACKLOG: String(LIMIT), TEND_FIRST_STEPS: 'off' } });
});
afterAll(async () => {
  await tend?.stop();
});

const count = async (sql: string) => Number((await tend.sql(sql))[0].n);
const signUp = (from: number, to: number) =>
  tend.api('POST', '/api/events/batch', { events: Array.from({ length: to - from }, (_, i) => ({ type: 'bp_signed_up', email: `bp-${from + i}@example.com` })) });

/** The backlog the dispatcher last read from Temporal, as /metrics shows it. */
async function backlogGauge(): Promise<number | undefined> {
  const text = await tend.services.metrics.render();
  const m = /^tend_workflow_backlog (\d+)$/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

test('with no worker, dispatch stops once the queue is past the limit, and resumes when a worker takes it down', async () => {
  await tend.publish(program);
  expect((await signUp(0, 50)).status).toBe(202);
  // No worker: every run started waits on the task queue for its first workflow task.
  await tend.until(async () => (await count("SELECT count(*) AS n FROM enrollments")) === 50, '50 runs started');
  // Temporal reports its backlog a few seconds late; the dispatcher reads it each second.
  await tend.until(async () => ((await backlogGauge()) ?? 0) > LIMIT, 'the dispatcher to see the backlog', 60_000);

  expect((await signUp(50, 80)).status).toBe(202);
  // Without back-pressure these would be dispatched at the next notification or tick (< 1 s).
  await new Promise((r) => setTimeout(r, 3000));
  expect(await count('SELECT count(*) AS n FROM outbox')).toBe(30);
  expect(await count('SELECT count(*) AS n FROM enrollments')).toBe(50);

  await tend.startWorker();
  await tend.until(async () => (await count("SELECT count(*) AS n FROM enrollments WHERE status = 'completed'")) === 80, 'all 80 runs completed', 90_000);
  // The tags' own contact-changed events go through the outbox too.
  await tend.until(async () => (await count('SELECT count(*) AS n FROM outbox')) === 0, 'the outbox drained');
  expect(await count("SELECT count(*) AS n FROM contacts WHERE 'welcomed' = ANY(tags)")).toBe(80);
});
