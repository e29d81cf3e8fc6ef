// The Temporal server goes away under a running Tend (worker and dispatcher stay up
// and keep trying) and comes back on its on-disk database: events accepted while it
// was down are dispatched from the outbox, waits resume, and each email goes out once.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startPrivateTemporal, type PrivateTemporal } from '../support/private-temporal.js';
import { startTend, type Tend } from '../support/tend.js';
import { emails, expectedTally, mailTally, onboarding, sleep } from '../support/faults.js';

let tend: Tend;
let temporal: PrivateTemporal;

// This file stops and restarts its Temporal server, so it has one of its own.
beforeAll(async () => {
  temporal = await startPrivateTemporal('temporal-restart');
  tend = await startTend({ temporalAddress: temporal.address });
});
afterAll(async () => {
  await tend?.stop();
  await temporal?.remove();
});

test('a Temporal server restart mid-run loses no accepted event and sends nothing twice', async () => {
  const programId = await tend.publish(onboarding());
  const stats = async () => (await tend.api('GET', `/api/flows/${programId}/stats`)).body;
  const first = emails('first', 4);
  for (const email of first) await tend.event({ type: 'signed_up', email });
  await tend.until(async () => (await stats()).nodes.wait.waiting === first.length, 'the first contacts waiting', 60000);

  await temporal.stop();
  // Accepted while Temporal is down: stored with their outbox rows, dispatched later.
  const during = emails('during', 4);
  for (const email of during) await tend.event({ type: 'signed_up', email });
  for (const email of first) await tend.event({ type: 'activated', email });
  await sleep(2000);
  expect((await tend.sql<{ n: number }>('SELECT count(*)::int AS n FROM outbox'))[0]!.n).toBeGreaterThan(0);
  await temporal.restart();

  await tend.until(async () => {
    const s = await stats();
    return s.enrollments.completed === first.length && s.nodes.wait.waiting === during.length;
  }, 'the first to finish and the new ones to wait', 120000);
  await tend.mailbox.waitFor(first.length * 2 + during.length, 30000);
  await sleep(1000);
  expect(mailTally(tend.mailbox)).toEqual({ ...expectedTally([...first, ...during], ['Welcome']), ...expectedTally(first, ['Activated']) });
  expect(await tend.sql('SELECT count(*)::int AS n FROM outbox')).toEqual([{ n: 0 }]);
});
