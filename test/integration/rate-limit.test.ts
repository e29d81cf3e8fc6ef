// Public endpoints are rate-limited per client IP: past the burst a client gets 429
// problem+json with Retry-After and nothing of its request is stored, other clients
// go on unaffected, and the client is served again once Retry-After has passed.
// Clients are told apart by X-Forwarded-For, which Tend trusts from loopback only.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';

const BURST = 5;
let tend: Tend;
let siteKey: string;
beforeAll(async () => {
  tend = await startTend({ worker: false, env: { TEND_RATE_LIMIT_BURST: String(BURST), TEND_RATE_LIMIT_PER_SECOND: '1' } });
  siteKey = (await tend.api('POST', '/api/site-keys', { name: 'www.example.com' })).body.key;
});
afterAll(async () => {
  await tend?.stop();
});

const from = (ip: string, path: string, init: RequestInit = {}) => fetch(tend.url + path, { ...init, headers: { ...init.headers, 'x-forwarded-for': ip }, redirect: 'manual' });
const pageView = (ip: string, n: number) => from(ip, '/t/collect', {
  method: 'POST',
  headers: { 'content-type': 'text/plain' },
  body: JSON.stringify({ key: siteKey, anonymousId: `visitor-${ip.replace(/[^0-9a-f]/g, '')}`, events: [{ type: 'page_view', properties: { url: `https://www.example.com/${n}`, path: `/${n}` } }] }),
});
const events = async () => (await tend.sql<{ n: number }>('SELECT count(*)::int AS n FROM events'))[0]!.n;

test('past the burst a client gets 429 with Retry-After, nothing is stored, and another client is unaffected', async () => {
  const before = await events();
  for (let i = 0; i < BURST; i++) expect((await pageView('198.51.100.7', i)).status).toBe(202);
  expect(await events()).toBe(before + BURST);

  const refused = await pageView('198.51.100.7', 99);
  expect(refused.status).toBe(429);
  expect(refused.headers.get('content-type')).toContain('application/problem+json');
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(await refused.json()).toMatchObject({ status: 429, title: 'Too many requests' });
  expect(await events()).toBe(before + BURST);

  // Another client, and the same client's IPv6 neighbour in another /64, go on.
  expect((await pageView('198.51.100.8', 0)).status).toBe(202);
  expect((await pageView('2001:db8:1:2::1', 0)).status).toBe(202);
  // The same client on another group of endpoints (links) is not counted against tracking.
  expect((await from('198.51.100.7', '/o/not-a-token')).status).toBe(200);

  await new Promise((r) => setTimeout(r, Number(refused.headers.get('retry-after')) * 1000 + 100));
  expect((await pageView('198.51.100.7', 100)).status).toBe(202);
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
    for (let i = 0; i <= BURST; i++) statuses.push((await from(ip, path, init)).status);
    expect(statuses.slice(0, BURST).every((s) => s !== 429), path).toBe(true);
    expect(statuses[BURST], path).toBe(429);
  }
  // A v6 client rotating addresses inside its /64 shares one bucket.
  const statuses: number[] = [];
  for (let i = 0; i <= BURST; i++) statuses.push((await from(`2001:db8:9:9::${i + 1}`, '/o/x')).status);
  expect(statuses[BURST]).toBe(429);
});

test('the API is not limited by the public limiter', async () => {
  for (let i = 0; i < BURST * 2; i++) expect((await tend.api('GET', '/api/flows')).status).toBe(200);
});
