// The Temporal server goes away under a running Tend (worker and dispatcher stay up
// and keep trying) and comes back on its on-disk database: events accepted while it
// was down are dispatched from the outbox, waits resume, and each email goes out once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { startTemporalDevServer, type RunningTemporal } from '../../engine/stack/temporal.js';
import { freePort } from '../../engine/stack/postgres.js';
import { startTend, type Tend } from '../support/tend.js';
import { emails, expectedTally, mailTally, onboarding, sleep } from '../support/faults.js';

let tend: Tend;
let temporal: RunningTemporal;
let port: number;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-temporal-restart-'));
const dbFile = path.join(dir, 'temporal.db');
const startTemporal = () => startTemporalDevServer({ cli: inject('temporalCli'), dbFile, port, uiPort: false });

beforeAll(async () => {
  port = await freePort();
  temporal = await startTemporal();
  tend = await startTend({ temporalAddress: temporal.address });
});
afterAll(async () => {
  await tend?.stop();
  await temporal?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
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
  temporal = await startTemporal();

  await tend.until(async () => {
    const s = await stats();
    return s.enrollments.completed === first.length && s.nodes.wait.waiting === during.length;
  }, 'the first to finish and the new ones to wait', 120000);
  await tend.mailbox.waitFor(first.length * 2 + during.length, 30000);
  await sleep(1000);
  expect(mailTally(tend.mailbox)).toEqual({ ...expectedTally([...first, ...during], ['Welcome']), ...expectedTally(first, ['Activated']) });
  expect(await tend.sql('SELECT count(*)::int AS n FROM outbox')).toEqual([{ n: 0 }]);
});
