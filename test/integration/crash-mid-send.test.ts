// A worker process killed while its SMTP send is in flight (SIGKILL: no shutdown hooks)
// must not lead to a lost email nor to a second one: after a worker comes back, the
// retried activity sends exactly one.
import { afterAll, beforeAll, expect, test } from 'vitest';
import pg from 'pg';
import { startTend, type Tend } from '../support/tend.js';
import { spawnWorker, type WorkerProcess } from '../support/worker-process.js';

let tend: Tend;
let worker: WorkerProcess | undefined;
beforeAll(async () => { tend = await startTend({ worker: false }); });
afterAll(async () => {
  await worker?.kill();
  await tend?.stop();
});

const welcome = {
  format: 'tend.flow/v1',
  name: 'Welcome',
  nodes: [
    { id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } },
    { id: 'hello', type: 'tend.action.email', version: 1, config: { subject: 'Welcome, {{contact.attributes.firstName}}', html: '<p>Glad you are here.</p>' } },
  ],
  edges: [{ id: 'e1', source: 'signup', sourcePort: 'next', target: 'hello' }],
};

test('killing the worker during a send gives exactly one email after restart', async () => {
  worker = spawnWorker(tend);
  await worker.ready;

  // The first delivery attempt reaches the SMTP server and hangs there before the
  // server's final reply: the moment a crash is most likely to cause a duplicate.
  let attempts = 0;
  let inFlight!: () => void;
  const sendInFlight = new Promise<void>((r) => { inFlight = r; });
  let senderGone!: () => void;
  const killed = new Promise<void>((r) => { senderGone = r; });
  tend.mailbox.beforeAccept = async () => {
    attempts += 1;
    if (attempts === 1) {
      inFlight();
      await killed;
      throw new Error('sender disconnected before the reply');
    }
  };

  const programId = await tend.publish(welcome);
  await tend.event({ type: 'signed_up', email: 'grace@example.com', contact: { attributes: { firstName: 'Grace' } } });
  await sendInFlight;
  await worker.kill('SIGKILL');
  senderGone();

  await tend.startWorker();
  const [mail] = await tend.mailbox.waitFor(1, 60000);
  expect(mail.subject).toBe('Welcome, Grace');
  await tend.until(async () => {
    const s = await tend.api('GET', `/api/flows/${programId}/stats`);
    return s.body.enrollments.completed === 1;
  }, 'the run to complete', 60000);
  await new Promise((r) => setTimeout(r, 1000));

  expect(attempts).toBe(2);
  expect(tend.mailbox.messages).toHaveLength(1);
  const db = new pg.Client({ connectionString: tend.databaseUrl });
  await db.connect();
  const rows = (await db.query("SELECT status FROM messages WHERE channel = 'email'")).rows;
  await db.end();
  expect(rows).toEqual([{ status: 'sent' }]);
});
