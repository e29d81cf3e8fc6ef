// Two servers on one database, as behind a load balancer: each takes half of the
// events (some sent to both, with the same client id) and runs its own outbox
// dispatcher. Every event is dispatched once: one enrollment and one email per contact,
// nothing left in the outbox, nothing sent twice.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../../server/app.js';
import { createDispatcher } from '../../engine/dispatch/dispatcher.js';
import { connectClient } from '../../engine/temporal/client.js';
import { createLog } from '../../engine/ops/log.js';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
/** What went wrong in either dispatcher, for the assertion messages. */
const dispatchErrors: string[] = [];
let second: { url: string; stop(): Promise<void> };
beforeAll(async () => {
  tend = await startTend({ logSink: (line) => void (line.includes('dispatch failed') && dispatchErrors.push(line)) });
  const client = await connectClient(tend.config, tend.temporalAddress);
  const dispatcher = createDispatcher({ db: tend.services.db, client, registry: tend.services.registry, taskQueue: tend.config.temporalTaskQueue, activity: { heartbeatTimeoutMs: 5000 }, onError: (err) => void dispatchErrors.push(String(err)) });
  await dispatcher.start();
  const app = createApp({ db: tend.services.db, registry: tend.services.registry, apiKey: tend.apiKey, signingSecret: tend.services.secret, onEventsStored: () => void dispatcher.kick(), log: createLog({ level: 'silent' }), temporal: client });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  second = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await dispatcher.stop();
      await client.connection.close();
    },
  };
});
afterAll(async () => {
  await second?.stop();
  await tend?.stop();
});

test('two servers with their own dispatchers: every event dispatched once, one email per contact', async () => {
  await tend.publish({
    format: 'tend.flow/v1', name: 'Welcome',
    nodes: [
      { id: 'in', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } },
      { id: 'hello', type: 'tend.action.email', version: 1, config: { subject: 'Welcome {{contact.email}}', html: '<p>Hi</p>' } },
    ],
    edges: [{ id: 'e1', source: 'in', sourcePort: 'next', target: 'hello' }],
  });
  const post = (url: string, body: unknown) =>
    fetch(`${url}/api/events/batch`, { method: 'POST', headers: { authorization: `Bearer ${tend.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const contacts = Array.from({ length: 60 }, (_, i) => `member${i}@example.com`);
  const events = (from: number, to: number) => contacts.slice(from, to).map((email) => ({ type: 'signed_up', email, clientId: `signup-${email}` }));
  // Both servers at once, with an overlap of 20 events each of them receives.
  const results = await Promise.all([post(tend.url, { events: events(0, 40) }), post(second.url, { events: events(20, 60) })]);
  for (const r of results) expect(r.status, await r.clone().text()).toBeLessThan(300);

  await tend.mailbox.waitFor(60, 60_000);
  await tend.until(async () => Number((await tend.sql('SELECT count(*) AS n FROM outbox'))[0].n) === 0, 'the outbox to drain');
  await new Promise((r) => setTimeout(r, 1500)); // anything sent twice would arrive by now
  const subjects = tend.mailbox.messages.map((m) => m.subject);
  expect(subjects.length).toBe(60);
  expect(new Set(subjects).size).toBe(60);
  expect((await tend.sql("SELECT count(*)::int AS n FROM events WHERE type = 'signed_up'"))[0].n).toBe(60);
  expect(await tend.sql('SELECT status, count(*)::int AS n FROM enrollments GROUP BY status')).toEqual([{ status: 'completed', n: 60 }]);
  expect((await tend.sql("SELECT count(*)::int AS n FROM messages WHERE status = 'sent'"))[0].n).toBe(60);
});

test("two dispatchers hand each contact's events over in order", async () => {
  // Every dispatched event earns a point: the awards' order is the order events were handed over.
  expect((await tend.api('POST', '/api/scoring-rules', { name: 'Each step', eventType: 'step', points: 1 })).status).toBe(201);
  const contacts = Array.from({ length: 40 }, (_, i) => `order${i}@example.com`);
  const STEPS = 6;
  // Interleaved (everyone's first step, then everyone's second …) and in one batch, so
  // each dispatcher's claim of 100 holds some of every contact's events.
  const events = Array.from({ length: STEPS }, (_, step) => contacts.map((email) => ({ type: 'step', email, properties: { step } }))).flat();
  expect((await tend.api('POST', '/api/events/batch', { events })).status).toBeLessThan(300);

  await tend.until(async () => Number((await tend.sql("SELECT count(*) AS n FROM score_awards a JOIN events e ON e.id = a.event_id WHERE e.type = 'step'"))[0].n) === events.length, 'every step to be scored', 60_000);
  const awarded = await tend.sql<{ email: string; steps: number[] }>(
    `SELECT c.email, array_agg((e.properties->>'step')::int ORDER BY a.id) AS steps
     FROM score_awards a JOIN events e ON e.id = a.event_id JOIN contacts c ON c.id = a.contact_id
     WHERE e.type = 'step' GROUP BY c.email ORDER BY c.email`,
  );
  expect(awarded).toHaveLength(contacts.length);
  for (const { email, steps } of awarded) expect(steps, `${email}; dispatch errors: ${dispatchErrors.join(' | ') || 'none'}`).toEqual([0, 1, 2, 3, 4, 5]);
});
