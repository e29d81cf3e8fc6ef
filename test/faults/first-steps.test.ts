// First steps (engine/ARCHITECTURE.md, "First steps"): runs entered together take their
// first step in one shared `firstSteps` workflow. A run that ends there never gets a
// workflow of its own; a run that waits is handed to its own workflow, which the
// events sent meanwhile still reach. Killing the worker in the middle of a batch's
// step repeats no effect: every email once, one CRM key per contact.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { startTend, type Tend } from '../support/tend.js';
import { spawnWorker, type WorkerProcess } from '../support/worker-process.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { emails, expectedTally, gate, mailTally, onboarding, webhookKeys } from '../support/faults.js';
import { workflowIdOf } from '../../engine/temporal/workflows.js';

let tend: Tend;
let crm: Receiver;
let worker: WorkerProcess | undefined;
let temporal: Client;
beforeAll(async () => {
  crm = await startReceiver();
  tend = await startTend({ worker: false });
  temporal = new Client({ connection: await Connection.connect({ address: tend.temporalAddress }) });
});
afterAll(async () => {
  await worker?.kill();
  await temporal?.connection.close();
  await tend?.stop();
  await crm?.close();
});

async function restartWorker(): Promise<void> {
  await worker?.kill('SIGKILL');
  worker = spawnWorker(tend);
  await worker.ready;
}

/** Whether the run has a workflow of its own in Temporal. */
async function ownWorkflow(enrollmentId: string): Promise<boolean> {
  try {
    await temporal.workflow.getHandle(workflowIdOf(enrollmentId)).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

const signUps = (who: string[], type = 'signed_up') =>
  tend.api('POST', '/api/events/batch', { events: who.map((email) => ({ type, email })) });

test('a burst of runs that end at once shares one workflow, and none gets its own', async () => {
  const programId = await tend.publish({
    format: 'tend.flow/v1', name: 'Receipt',
    nodes: [
      { id: 'bought', type: 'tend.trigger.event', version: 1, config: { eventType: 'bought' } },
      { id: 'tag', type: 'tend.action.update-contact', version: 1, config: { operations: [{ op: 'addTag', tag: 'customer' }] } },
      { id: 'receipt', type: 'tend.action.email', version: 1, config: { subject: 'Receipt', html: '<p>Thanks {{contact.email}}</p>' } },
    ],
    edges: [{ id: 'e1', source: 'bought', sourcePort: 'next', target: 'tag' }, { id: 'e2', source: 'tag', sourcePort: 'next', target: 'receipt' }],
  });
  const buyers = emails('buyer', 12);
  // Stored before any worker runs, so one dispatch takes them all as one batch.
  expect((await signUps(buyers, 'bought')).status).toBe(202);
  await tend.until(async () => (await tend.sql<{ n: number }>('SELECT count(*)::int AS n FROM enrollments WHERE program_id = $1', [programId]))[0]!.n === buyers.length, 'every buyer entered');
  await restartWorker();
  await tend.until(async () => (await tend.sql<{ n: number }>("SELECT count(*)::int AS n FROM enrollments WHERE program_id = $1 AND status = 'completed'", [programId]))[0]!.n === buyers.length, 'every run completed', 60000);

  expect(mailTally(tend.mailbox)).toEqual(expectedTally(buyers, ['Receipt']));
  const runs = await tend.sql<{ id: string; runner: string }>('SELECT id, runner FROM enrollments WHERE program_id = $1', [programId]);
  // One shared workflow took them all (a dispatch batch holds up to 250 events)…
  expect(new Set(runs.map((r) => r.runner)).size).toBe(1);
  expect(runs[0]!.runner).toMatch(/^first-steps-/);
  const handle = temporal.workflow.getHandle(runs[0]!.runner);
  expect((await handle.describe()).type).toBe('firstSteps');
  // The runs are written as completed inside the batch's activity; the workflow completes just after.
  await tend.until(async () => (await handle.describe()).status.name === 'COMPLETED', 'the shared workflow completed');
  // …and no run has a workflow of its own.
  for (const r of runs) expect(await ownWorkflow(r.id), r.id).toBe(false);
  expect(await tend.sql("SELECT count(*)::int AS n FROM contacts WHERE 'customer' = ANY(tags)")).toEqual([{ n: buyers.length }]);
});

test('a worker killed in the middle of a batch\'s first steps repeats nothing; runs that wait get their own workflow and the events sent meanwhile', async () => {
  const contacts = emails('batch-kill', 8);
  const programId = await tend.publish(onboarding({ webhookUrl: crm.url, name: 'Onboarding in a batch' }));
  const crmGate = gate();
  crm.respond = async () => {
    await crmGate.opened;
    return { status: 200, body: { ok: true } };
  };
  // No worker while the sign-ups are dispatched (the last test's would take the batch).
  await worker?.kill('SIGKILL');
  worker = undefined;
  expect((await signUps(contacts)).status).toBe(202);
  await tend.until(async () => (await tend.sql<{ n: number }>('SELECT count(*)::int AS n FROM enrollments WHERE program_id = $1', [programId]))[0]!.n === contacts.length, 'every contact entered');
  await restartWorker();
  // The batch's step is under way: welcomes sent and recorded, CRM calls unanswered. Kill it
  // there. (Not while a welcome is between the SMTP server's 250 and its row turning 'sent':
  // the one window exactly-once cannot close, see ARCHITECTURE.md.)
  await tend.until(async () => (await tend.sql<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE channel = 'email' AND status = 'sent' AND program_id = $1", [programId]))[0]!.n === contacts.length, 'the welcomes recorded', 60000);
  await crm.waitFor(contacts.length, 60000);
  expect((await tend.sql<{ runner: string }>('SELECT DISTINCT runner FROM enrollments WHERE program_id = $1', [programId])).map((r) => r.runner)).toEqual([expect.stringMatching(/^first-steps-/)]);
  await worker!.kill('SIGKILL');
  crm.respond = () => ({ status: 200, body: { ok: true } });
  crmGate.open();
  // Sent while the runs have no workflow of their own yet: they must still arrive.
  expect((await signUps(contacts, 'activated')).status).toBe(202);
  await restartWorker();

  const stats = async () => (await tend.api('GET', `/api/flows/${programId}/stats`)).body;
  await tend.until(async () => (await stats()).enrollments.completed === contacts.length, 'every run to complete', 120000);
  const tally = mailTally(tend.mailbox);
  for (const [key, n] of Object.entries(expectedTally(contacts, ['Welcome', 'Activated']))) expect(tally[key], key).toBe(n);
  const keys = webhookKeys(crm);
  for (const email of contacts) expect(keys[email], email).toHaveLength(1);
  // Each waited, so each went on in a workflow of its own, started from the batch's result.
  // The activations came while every run was still in the batch (its CRM call unanswered):
  // kept for the run, they went to its workflow with it.
  const runs = await tend.sql<{ id: string; runner: string; resumed: boolean; pending: string[] }>(
    "SELECT id, runner, handover ? 'resume' AS resumed, ARRAY(SELECT e->>'type' FROM jsonb_array_elements(handover->'pending') e) AS pending FROM enrollments WHERE program_id = $1",
    [programId],
  );
  // Nothing kept is left over (events kept for runs that ended in the batch are dropped each second).
  await tend.until(async () => (await tend.sql<{ n: number }>('SELECT count(*)::int AS n FROM run_inbox'))[0]!.n === 0, 'nothing kept left over');
  for (const r of runs) {
    expect(r.runner, r.id).toBe('workflow');
    expect(r.resumed, r.id).toBe(true);
    expect(r.pending, r.id).toContain('activated');
    expect(await ownWorkflow(r.id), r.id).toBe(true);
  }
});
