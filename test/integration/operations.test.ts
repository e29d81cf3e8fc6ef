// Operations as a load balancer, Prometheus and a log collector see them: /readyz says
// ready only when the database (with its migrations) and Temporal answer; /metrics
// moves with real events, runs, sends and failures; every request is one JSON log line
// under a request id that the response echoes, with no secrets in it.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../../server/app.js';
import { startWorker } from '../../server/runtime.js';
import { createDb } from '../../engine/storage/db.js';
import { freePort } from '../../engine/stack/postgres.js';
import { createLog } from '../../engine/ops/log.js';
import { unsubscribeToken } from '../../engine/delivery/signing.js';
import { createDatabase, startTend, type Tend } from '../support/tend.js';

const METRICS_TOKEN = 'metrics-reader-0123456789';
let tend: Tend;
const lines: Record<string, any>[] = [];
beforeAll(async () => {
  tend = await startTend({ logSink: (line) => lines.push(JSON.parse(line)), env: { TEND_METRICS_TOKEN: METRICS_TOKEN } });
});
afterAll(async () => {
  await tend?.stop();
});

/** Serves an app on a free port for the length of `fn`. */
async function serve<T>(app: ReturnType<typeof createApp>, fn: (url: string) => Promise<T>): Promise<T> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    return await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

async function scrape(url = tend.url, token = tend.apiKey): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
  const values = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}

test('/healthz and /readyz: ready with the database, its migrations and Temporal', async () => {
  expect((await fetch(`${tend.url}/healthz`)).status).toBe(200);
  const res = await fetch(`${tend.url}/readyz`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ready: true, checks: { database: { ok: true }, migrations: { ok: true }, temporal: { ok: true } } });
});

test('/readyz: 503 naming what is not ready (database refusing, schema not migrated, Temporal unreachable)', async () => {
  const deps = { registry: tend.services.registry, apiKey: tend.apiKey, signingSecret: 'x', log: createLog({ level: 'silent' }) };
  const refusing = createDb(`postgres://tend:tend@127.0.0.1:${await freePort()}/tend`);
  const noTemporal = new Client({ connection: Connection.lazy({ address: `127.0.0.1:${await freePort()}`, interceptors: [] }) });
  try {
    await serve(createApp({ ...deps, db: refusing, temporal: noTemporal }), async (url) => {
      const res = await fetch(`${url}/readyz`);
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.ready).toBe(false);
      expect(body.checks.database).toEqual({ ok: false, error: expect.stringMatching(/ECONNREFUSED|connect/) });
      expect(body.checks.migrations.ok).toBe(false);
      expect(body.checks.temporal).toEqual({ ok: false, error: expect.any(String) });
      expect((await fetch(`${url}/healthz`)).status).toBe(200); // up, but not ready
    });
  } finally {
    await refusing.end();
    await noTemporal.connection.close();
  }
  const empty = createDb(await createDatabase(inject('pgUrl')));
  try {
    await serve(createApp({ ...deps, db: empty }), async (url) => {
      const res = await fetch(`${url}/readyz`);
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.checks.database).toEqual({ ok: true });
      expect(body.checks.migrations).toEqual({ ok: false, error: expect.stringContaining('001_init.sql') });
    });
  } finally {
    await empty.end();
  }
});

test('/metrics: only with the admin key or TEND_METRICS_TOKEN; counts move with real events, runs, sends and failures', async () => {
  expect((await fetch(`${tend.url}/metrics`)).status).toBe(401);
  expect((await fetch(`${tend.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  const before = await scrape(tend.url, METRICS_TOKEN);
  const eventsBefore = (await tend.sql('SELECT count(*)::int AS n FROM events'))[0].n;
  await tend.publish({
    format: 'tend.flow/v1', name: 'Welcome',
    nodes: [
      { id: 'in', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } },
      { id: 'hello', type: 'tend.action.email', version: 1, config: { subject: 'Welcome', html: '<p>Hi</p>' } },
    ],
    edges: [{ id: 'e1', source: 'in', sourcePort: 'next', target: 'hello' }],
  });
  await tend.publish({
    format: 'tend.flow/v1', name: 'Broken template',
    nodes: [
      { id: 'in', type: 'tend.trigger.event', version: 1, config: { eventType: 'broke' } },
      // Fails only when rendering (an unknown helper is refused when the program is saved).
      { id: 'bad', type: 'tend.action.email', version: 1, config: { subject: 'x', html: '{{money 5 "NOT-A-CURRENCY"}}' } },
    ],
    edges: [{ id: 'e1', source: 'in', sourcePort: 'next', target: 'bad' }],
  });
  for (const name of ['ann', 'bob', 'cy']) await tend.event({ type: 'signed_up', email: `${name}@example.com` });
  await tend.event({ type: 'broke', email: 'dee@example.com' });
  await tend.mailbox.waitFor(3);
  await tend.until(async () => (await tend.sql("SELECT 1 FROM enrollments WHERE status <> 'active'")).length === 4, 'the four runs to end');
  const eventsStored = (await tend.sql('SELECT count(*)::int AS n FROM events'))[0].n - eventsBefore;
  expect(eventsStored).toBeGreaterThanOrEqual(4);

  const after = await tend.until(async () => {
    const m = await scrape();
    return m.get('tend_outbox_depth') === 0 ? m : undefined;
  }, 'the outbox to drain');
  const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
  expect(delta('tend_events_ingested_total')).toBe(eventsStored);
  expect(delta('tend_enrollments_started_total')).toBe(4);
  expect(delta('tend_enrollments_finished_total{status="completed"}')).toBe(3);
  expect(delta('tend_enrollments_finished_total{status="failed"}')).toBe(1);
  expect(after.get('tend_enrollments_active')).toBe(0);
  expect(delta('tend_messages{channel="email",status="sent"}')).toBe(3);
  expect(delta('tend_node_failures_total')).toBe(1);
  expect(after.get('tend_activity_failures_total{node="tend.action.email",final="true"}')).toBe(1);
  expect(after.get('tend_dispatch_lag_seconds')).toBe(0);
  expect(after.get('tend_http_requests_total{method="POST",status="2xx"}')).toBeGreaterThanOrEqual(4);
  expect(delta('tend_http_request_duration_seconds_count')).toBeGreaterThanOrEqual(4);
  expect(after.get('tend_http_request_duration_seconds_bucket{le="+Inf"}')).toBe(after.get('tend_http_request_duration_seconds_count'));
  expect(after.get('process_cpu_user_seconds_total')).toBeGreaterThan(0); // Node's own figures ride along

  // The node failure is a worker log line in the same JSON shape.
  const failure = lines.find((l) => l.msg === 'node failed');
  expect(failure).toMatchObject({ level: 'error', component: 'worker', node: 'bad', error: expect.stringContaining('Invalid currency code') });
  expect(Date.parse(failure!.time)).not.toBeNaN();
});

test('a worker with TEND_METRICS_PORT serves /healthz, /readyz and /metrics', async () => {
  const port = await freePort();
  const worker = await startWorker({ ...tend.config, metricsPort: port, apiKey: tend.apiKey }, tend.services, tend.temporalAddress);
  try {
    const url = `http://127.0.0.1:${port}`;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${url}/readyz`)).json()).toMatchObject({ ready: true, checks: { temporal: { ok: true } } });
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await scrape(url, METRICS_TOKEN)).has('tend_outbox_depth')).toBe(true);
  } finally {
    await worker.stop();
  }
});

test('one JSON log line per request, under a request id the response echoes; no query strings, tokens or keys', async () => {
  const given = await fetch(`${tend.url}/api/contacts?email=secret%40example.com&token=hunter2`, { headers: { authorization: `Bearer ${tend.apiKey}`, 'x-request-id': 'req-abc.123' } });
  expect(given.headers.get('x-request-id')).toBe('req-abc.123');
  const insane = await fetch(`${tend.url}/schemas/tend.flow.v1.json`, { headers: { 'x-request-id': 'has spaces and "quotes"' } });
  const generated = insane.headers.get('x-request-id')!;
  expect(generated).toMatch(/^[0-9a-f-]{36}$/);
  const token = unsubscribeToken(tend.services.secret, '00000000-0000-4000-8000-000000000000');
  await fetch(`${tend.url}/unsubscribe/${token}`);
  await fetch(`${tend.url}/api/nope`, { headers: { authorization: 'Bearer not-the-key' } });

  const requests = lines.filter((l) => l.msg === 'request');
  const line = requests.find((l) => l.requestId === 'req-abc.123');
  expect(line).toMatchObject({ level: 'info', method: 'GET', path: '/api/contacts', status: 200, durationMs: expect.any(Number) });
  expect(Object.keys(line!).sort()).toEqual(['durationMs', 'level', 'method', 'msg', 'path', 'requestId', 'status', 'time']);
  expect(requests.find((l) => l.requestId === generated)).toMatchObject({ path: '/schemas/tend.flow.v1.json', status: 200 });
  expect(requests.some((l) => (l.path === '/healthz' || l.path === '/metrics') && l.status < 400)).toBe(false); // answered probes log at debug
  expect(requests.find((l) => String(l.path).startsWith('/unsubscribe/'))!.path).toBe(`/unsubscribe/${token.slice(0, 6)}…`);
  expect(requests.find((l) => l.path === '/api/nope')).toMatchObject({ status: 401 });
  const all = lines.map((l) => JSON.stringify(l)).join('\n');
  for (const secret of ['hunter2', 'secret@example.com', token, tend.apiKey, 'not-the-key', METRICS_TOKEN]) expect(all).not.toContain(secret);
});
