// A wait survives everything around it going away: the worker stops and the Temporal
// server itself restarts (on its on-disk database) while a contact waits; when the
// timer is due, the contact moves on and the email goes out, once.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startPrivateTemporal, type PrivateTemporal } from '../support/private-temporal.js';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
let temporal: PrivateTemporal;

// This file stops and restarts its Temporal server, so it has one of its own.
beforeAll(async () => {
  temporal = await startPrivateTemporal('durable');
  tend = await startTend({ temporalAddress: temporal.address });
});
afterAll(async () => {
  await tend?.stop();
  await temporal?.remove();
});

const WAIT_SECONDS = 8;

const followUp = {
  format: 'tend.flow/v1',
  name: 'Follow-up after a wait',
  nodes: [
    { id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } },
    { id: 'wait', type: 'tend.wait.duration', version: 1, config: { duration: `${WAIT_SECONDS} seconds` } },
    { id: 'follow_up', type: 'tend.action.email', version: 1, config: { subject: 'How is it going?', html: '<p>Checking in.</p>' } },
  ],
  edges: [
    { id: 'e1', source: 'signup', sourcePort: 'next', target: 'wait' },
    { id: 'e2', source: 'wait', sourcePort: 'next', target: 'follow_up' },
  ],
};

test('a wait holds across a worker stop and a Temporal server restart', async () => {
  const programId = await tend.publish(followUp);
  const stats = async () => (await tend.api('GET', `/api/flows/${programId}/stats`)).body;
  const posted = Date.now();
  await tend.event({ type: 'signed_up', email: 'linus@example.com' });
  await tend.until(async () => (await stats()).nodes.wait.waiting === 1, 'the contact to wait');

  await tend.stopWorker();
  await temporal.stop();
  expect(tend.mailbox.messages).toHaveLength(0);
  await temporal.restart();
  await tend.startWorker();

  const [mail] = await tend.mailbox.waitFor(1, 60000);
  // The timer was neither lost nor fired early by the restart.
  expect(Date.now() - posted).toBeGreaterThanOrEqual(WAIT_SECONDS * 1000);
  expect(mail.subject).toBe('How is it going?');
  await tend.until(async () => (await stats()).enrollments.completed === 1, 'the run to complete', 30000);
  const after = await stats();
  expect(after.nodes.wait).toMatchObject({ entered: 1, waiting: 0, completed: 1 });
  expect(tend.mailbox.messages).toHaveLength(1);
});
