// Pacing through a real Tend: "launch → throttle (at most 2 per second) → email" for
// six contacts at once. Each run takes a place in the node's queue, half a second
// apart, and sleeps until it; every email goes, once. A retried step keeps the place it
// took. The editor's counts call the contacts waiting there "queued".
import { afterAll, beforeAll, expect, test } from 'vitest';
import pg from 'pg';
import { startTend, type Tend } from '../support/tend.js';
import { takePlace } from '../../engine/delivery/pacing.js';

let tend: Tend;
beforeAll(async () => { tend = await startTend(); });
afterAll(async () => { await tend?.stop(); });

test('six contacts through "at most 2 per second": places half a second apart, every email once', async () => {
  const program = await tend.publish({
    format: 'tend.flow/v1', name: 'Launch, paced',
    nodes: [
      { id: 'launch', type: 'tend.trigger.event', version: 1, config: { eventType: 'launch' } },
      { id: 'pace', type: 'tend.logic.throttle', version: 1, config: { max: 2, per: '1 second' } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'It is here', html: '<p>Launch</p>' } },
    ],
    edges: [{ id: 'e1', source: 'launch', sourcePort: 'next', target: 'pace' }, { id: 'e2', source: 'pace', sourcePort: 'next', target: 'mail' }],
  });
  await tend.api('POST', '/api/events/batch', { events: Array.from({ length: 6 }, (_, i) => ({ type: 'launch', email: `p${i}@example.com` })) });
  await tend.until(async () => tend.mailbox.messages.filter((m) => m.subject === 'It is here').length === 6, 'six emails', 30_000);
  // The mailbox has a message a moment before its row records when it was sent.
  await tend.until(async () => (await tend.sql<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE program_id = $1 AND sent_at IS NOT NULL', [program]))[0]!.n === 6, 'six sends recorded');

  const places = (await tend.sql<{ at: Date }>('SELECT at FROM pacing_places WHERE queue = $1 ORDER BY at', [`${program}:pace`])).map((r) => r.at.getTime());
  expect(places).toHaveLength(6);
  expect(places.slice(1).map((t, i) => t - places[i]!)).toEqual([500, 500, 500, 500, 500]);
  // Each sent once, and none before its place.
  const sent = await tend.sql<{ recipient: string; sent_at: Date; at: Date }>(
    `SELECT m.recipient, m.sent_at, p.at FROM messages m JOIN pacing_places p ON p.idempotency_key LIKE m.enrollment_id::text || ':pace:%' WHERE m.program_id = $1`, [program],
  );
  expect(sent).toHaveLength(6);
  for (const s of sent) expect(s.sent_at.getTime()).toBeGreaterThanOrEqual(s.at.getTime() - 50);
  expect(new Set(sent.map((s) => s.recipient)).size).toBe(6);

  const stats = (await tend.api('GET', '/api/flows/' + program + '/stats')).body;
  expect(stats.nodes.pace.entered).toBe(6);
  expect((await tend.api('GET', '/api/node-types')).body.nodeTypes.find((t: { id: string }) => t.id === 'tend.logic.throttle').waitingLabel).toBe('queued');
});

test('a retried step keeps its place; the queue moves on by one place per visit', async () => {
  const db = new pg.Pool({ connectionString: tend.databaseUrl, max: 2 });
  try {
    const first = await takePlace(db, 'test-queue', 1000, 'run-a:pace:1');
    const again = await takePlace(db, 'test-queue', 1000, 'run-a:pace:1');
    const second = await takePlace(db, 'test-queue', 1000, 'run-b:pace:1');
    expect(again.getTime()).toBe(first.getTime());
    expect(second.getTime() - first.getTime()).toBe(1000);
  } finally {
    await db.end();
  }
});
