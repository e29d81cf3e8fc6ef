// Public endpoints are rate-limited per client IP: past the burst a client gets 429
// problem+json with Retry-After and nothing of its request is stored, other clients
// go on unaffected, and the client is served again once Retry-After has passed. Both
// stores (TEND_RATE_LIMIT_STORE) pass the same suite; the PostgreSQL one also holds
// across two servers on one database, as behind a load balancer.
// Clients are told apart by X-Forwarded-For, which Tend trusts from loopback only.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.js';
import { createDb } from '../../engine/storage/db.js';
import { createLog } from '../../engine/ops/log.js';
import { startTend, type Tend } from '../support/tend.js';

const BURST = 5;

const from = (base: string, ip: string, path: string, init: RequestInit = {}) =>
  fetch(base + path, { ...init, headers: { ...init.headers, 'x-forwarded-for': ip }, redirect: 'manual' });
const pageView = (base: string, siteKey: string, ip: string, n: number) => from(base, ip, '/t/collect', {
  method: 'POST',
  headers: { 'content-type': 'text/plain' },
  body: JSON.stringify({ key: siteKey, anonymousId: `visitor-${ip.replace(/[^0-9a-f]/g, '')}`, events: [{ type: 'page_view', properties: { url: `https://www.example.com/${n}`, path: `/${n}` } }] }),
});
const eventCount = async (tend: Tend) => (await tend.sql<{ n: number }>('SELECT count(*)::int AS n FROM events'))[0]!.n;

describe.each(['postgres', 'memory'] as const)('the %s store', (store) => {
  let tend: Tend;
  let siteKey: string;
  beforeAll(async () => {
    // A token back every 4 s: a burst of requests finishes well within that on a loaded machine.
    tend = await startTend({ worker: false, env: { TEND_RATE_LIMIT_BURST: String(BURST), TEND_RATE_LIMIT_PER_SECOND: '0.25', TEND_RATE_LIMIT_STORE: store } });
    siteKey = (await tend.api('POST', '/api/site-keys', { name: 'www.example.com' })).body.key;
  });
  afterAll(async () => {
    await tend?.stop();
  });

  test('past the burst a client gets 429 with Retry-After, nothing is stored, and another client is unaffected', async () => {
    const view = (ip: string, n: number) => pageView(tend.url, siteKey, ip, n);
    const before = await eventCount(tend);
    for (let i = 0; i < BURST; i++) expect((await view('198.51.100.7', i)).status).toBe(202);
    expect(await eventCount(tend)).toBe(before + BURST);

    const refused = await view('198.51.100.7', 99);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ status: 429, title: 'Too many requests' });
    expect(await eventCount(tend)).toBe(before + BURST);

    // Another client, and the same client's IPv6 neighbour in another /64, go on.
    expect((await view('198.51.100.8', 0)).status).toBe(202);
    expect((await view('2001:db8:1:2::1', 0)).status).toBe(202);
    // The same client on another group of endpoints (links) is not counted against tracking.
    expect((await from(tend.url, '198.51.100.7', '/o/not-a-token')).status).toBe(200);

    await new Promise((r) => setTimeout(r, Number(refused.headers.get('retry-after')) * 1000 + 100));
    expect((await view('198.51.100.7', 100)).status).toBe(202);
  });

  test('every public endpoint is limited', async () => {
    const form = '00000000-0000-4000-8000-000000000000';
    const endpoints: [string, RequestInit?][] = [
      ['/t/collect', { method: 'POST', body: '{}' }],
      [`/f/${form}`],
      [`/f/${form}/embed`],
      [`/f/${form}/submit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }],
      ['/o/some-token'],
      ['/c/some-token'],
      ['/unsubscribe/some-token'],
      ['/unsubscribe/some-token', { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
      ['/preferences/some-token'],
    ];
    let n = 10;
    for (const [path, init] of endpoints) {
      const ip = `203.0.113.${n++}`;
      const statuses: number[] = [];
      for (let i = 0; i <= BURST; i++) statuses.push((await from(tend.url, ip, path, init)).status);
      expect(statuses.slice(0, BURST).every((s) => s !== 429), path).toBe(true);
      expect(statuses[BURST], path).toBe(429);
    }
    // A v6 client rotating addresses inside its /64 shares one bucket.
    const statuses: number[] = [];
    for (let i = 0; i <= BURST; i++) statuses.push((await from(tend.url, `2001:db8:9:9::${i + 1}`, '/o/x')).status);
    expect(statuses[BURST]).toBe(429);
  });

  test('the API is not limited by the public limiter', async () => {
    for (let i = 0; i < BURST * 2; i++) expect((await tend.api('GET', '/api/flows')).status).toBe(200);
  });
});

describe('two servers on one database (the postgres store)', () => {
  // A slow refill, so no token comes back while a test runs: the counts are exact.
  const env = { TEND_RATE_LIMIT_BURST: String(BURST), TEND_RATE_LIMIT_PER_SECOND: '0.1' };
  let a: Tend;
  let b: Tend;
  let siteKey: string;
  beforeAll(async () => {
    a = await startTend({ worker: false, env });
    // Buckets left by clients gone quiet: one idle long enough to be full again (swept),
    // one used ten seconds ago (kept). The second server's first request sweeps.
    await a.sql(`INSERT INTO rate_limits (endpoint_group, client, tokens, at) VALUES
      ('links', '192.0.2.1', 0, now() - interval '1 hour'), ('links', '192.0.2.2', 0, now() - interval '10 seconds')`);
    b = await startTend({ worker: false, env, databaseUrl: a.databaseUrl });
    siteKey = (await a.api('POST', '/api/site-keys', { name: 'www.example.com' })).body.key;
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  test('one client alternating between the servers gets the burst once in total, then 429; another client is unaffected', async () => {
    const before = await eventCount(a);
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < BURST * 2; i++) {
      const res = await pageView(i % 2 ? b.url : a.url, siteKey, '198.51.100.20', i);
      statuses.push(res.status);
      refused ??= res.status === 429 ? res : undefined;
    }
    expect(statuses).toEqual([...Array(BURST).fill(202), ...Array(BURST).fill(429)]);
    expect(await eventCount(a)).toBe(before + BURST);
    // Refilled at 0.1 a second, the next token is about ten seconds away.
    const wait = Number(refused!.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(9);
    expect(wait).toBeLessThanOrEqual(10);
    expect(await refused!.json()).toMatchObject({ status: 429, title: 'Too many requests' });

    expect((await pageView(a.url, siteKey, '198.51.100.21', 0)).status).toBe(202);
    expect((await pageView(b.url, siteKey, '198.51.100.21', 1)).status).toBe(202);
  });

  test('requests arriving at both servers at once take exactly the burst', async () => {
    const ip = '198.51.100.30';
    const all = await Promise.all(Array.from({ length: BURST * 4 }, (_, i) => from(i % 2 ? b.url : a.url, ip, '/o/not-a-token')));
    const statuses = all.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(BURST);
    expect(statuses.filter((s) => s === 429)).toHaveLength(BURST * 3);
  });

  test('buckets idle long enough to be full are swept; recent ones stay', async () => {
    const buckets = async () => (await a.sql<{ client: string }>("SELECT client FROM rate_limits WHERE client LIKE '192.0.2.%' ORDER BY client")).map((r) => r.client);
    await a.until(async () => (await buckets()).length === 1, 'the idle bucket to be swept', 5000);
    expect(await buckets()).toEqual(['192.0.2.2']);
  });

  test('with its database unreachable the limiter refuses with 503, it does not let requests through', async () => {
    const db = createDb('postgres://tend@127.0.0.1:1/tend', 1);
    const app = createApp({ db, registry: a.services.registry, apiKey: a.apiKey, signingSecret: a.services.secret, log: createLog({ level: 'silent' }), rateLimit: { burst: BURST, perSecond: 0.1 } });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/o/not-a-token`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(await res.json()).toMatchObject({ status: 503, title: 'Service unavailable' });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await db.end();
    }
  });
});
