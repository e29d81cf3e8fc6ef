// The programs the benchmarks run, and how the throughput sections drive the 5-node one.
import type pg from 'pg';
import { inLanes, sleep } from './infra.js';
import { progress } from './stats.js';

export const fiveNodes = {
  format: 'tend.flow/v1',
  name: 'Bench: five nodes',
  nodes: [
    { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'bench_started' } },
    { id: 'score', type: 'tend.action.score', version: 1, config: { delta: 5, reason: 'bench' } },
    { id: 'tag', type: 'tend.action.update-contact', version: 1, config: { operations: [{ op: 'addTag', tag: 'benched' }] } },
    { id: 'check', type: 'tend.logic.if', version: 1, config: { condition: { field: 'contact.score', op: 'gte', value: 5 } } },
    { id: 'done', type: 'tend.logic.exit', version: 1, config: { reason: 'bench done' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'next', target: 'score' },
    { id: 'e2', source: 'score', sourcePort: 'next', target: 'tag' },
    { id: 'e3', source: 'tag', sourcePort: 'next', target: 'check' },
    { id: 'e4', source: 'check', sourcePort: 'yes', target: 'done' },
    { id: 'e5', source: 'check', sourcePort: 'no', target: 'done' },
  ],
};

export const ping = {
  format: 'tend.flow/v1',
  name: 'Bench: event to email',
  nodes: [
    { id: 'ping', type: 'tend.trigger.event', version: 1, config: { eventType: 'bench_ping' } },
    { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'ping {{event.properties.seq}}', html: '<p>pong</p>' } },
  ],
  edges: [{ id: 'e1', source: 'ping', sourcePort: 'next', target: 'mail' }],
};

export const parkedFor30Days = {
  format: 'tend.flow/v1',
  name: 'Bench: parked for 30 days',
  nodes: [
    { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'bench_parked' } },
    { id: 'wait', type: 'tend.wait.duration', version: 1, config: { duration: '30 days' } },
    { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'A month later', html: '<p>Hello</p>' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'next', target: 'wait' },
    { id: 'e2', source: 'wait', sourcePort: 'next', target: 'mail' },
  ],
};

/**
 * Posts `count` bench_started events (emails `${prefix}-0@bench.example` …) and waits
 * until every run of the 5-node program they start has ended; returns runs per second.
 */
export async function throughFiveNodes(o: { api: (method: string, path: string, body?: unknown) => Promise<any>; db: pg.Pool; programId: string; prefix: string; count: number; label: string; pollMs: number }): Promise<number> {
  const started = performance.now();
  await inLanes(Math.ceil(o.count / 500), 2, async (b) => {
    const events = Array.from({ length: Math.min(500, o.count - b * 500) }, (_, j) => ({ type: 'bench_started', email: `${o.prefix}-${b * 500 + j}@bench.example` }));
    await o.api('POST', '/api/events/batch', { events });
  });
  for (;;) {
    const { rows: [r] } = await o.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM enrollments e JOIN contacts c ON c.id = e.contact_id WHERE e.program_id = $1 AND e.status <> 'active' AND c.email LIKE $2",
      [o.programId, `${o.prefix}-%`],
    );
    progress(o.label, r!.n, o.count);
    if (r!.n >= o.count) break;
    await sleep(o.pollMs);
  }
  return o.count / ((performance.now() - started) / 1000);
}
