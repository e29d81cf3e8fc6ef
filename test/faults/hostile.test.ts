// Seeded fuzzing of every endpoint that takes input (listed from server/app.ts and
// server/routes/*): malformed JSON, wrong types, huge strings, deep nesting, unicode
// edge cases, SQL and Handlebars injection, prototype keys, in bodies and in path
// parameters. Every request gets a 4xx (never a 5xx), the server stays up, and no
// table gains or loses a row. test/integration/hostile-input.test.ts holds the
// hand-written cases; this file generates. The seed is printed: TEND_TEST_SEED=<seed>
// replays a run.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { seeded } from '../support/seeded.js';
import { hostileBody, hostileStrings } from '../support/hostile.js';

let tend: Tend;
let flowId: string;
let formId: string;
let siteKey: string;
beforeAll(async () => {
  tend = await startTend({ worker: false });
  flowId = (await tend.api('POST', '/api/flows', { format: 'tend.flow/v1', name: 'Target', nodes: [], edges: [] })).body.id;
  formId = (await tend.api('POST', '/api/forms', { name: 'Signup', fields: [{ name: 'email', label: 'Email', type: 'email', required: true }] })).body.id;
  siteKey = (await tend.api('POST', '/api/site-keys', { name: 'www.example.com' })).body.key;
});
afterAll(async () => { await tend?.stop(); });

interface Endpoint {
  method: string;
  path: () => string;
  /** A valid body: the fuzzer keeps it but for one field, to get past the first checks. */
  known?: () => Record<string, unknown>;
  /** Public endpoints take no API key. */
  open?: boolean;
  /** Answers problems in a 200 (validation, previews): anything but a 5xx. */
  reports?: boolean;
}

const flow = { format: 'tend.flow/v1', name: 'Fuzzed', nodes: [{ id: 't', type: 'tend.trigger.event', version: 1, config: { eventType: 'x' } }], edges: [] };
const endpoints: Endpoint[] = [
  { method: 'POST', path: () => '/api/events', known: () => ({ type: 'signed_up', email: 'fuzz@example.com', clientId: 'fuzz-1' }) },
  { method: 'POST', path: () => '/api/events/batch', known: () => ({ events: [{ type: 'signed_up', email: 'fuzz@example.com' }] }) },
  { method: 'PUT', path: () => '/api/contacts', known: () => ({ email: 'fuzz@example.com' }) },
  { method: 'POST', path: () => '/api/contacts/batch' },
  { method: 'POST', path: () => '/api/flows', known: () => flow },
  { method: 'POST', path: () => '/api/flows/import', known: () => flow },
  { method: 'POST', path: () => '/api/flows/validate', known: () => flow, reports: true },
  { method: 'PUT', path: () => `/api/flows/${flowId}`, known: () => flow },
  { method: 'PATCH', path: () => `/api/flows/${flowId}` },
  { method: 'POST', path: () => '/api/flows/preview-email', reports: true },
  { method: 'PUT', path: () => '/api/messaging-policy' },
  { method: 'POST', path: () => '/api/scoring-rules' },
  { method: 'POST', path: () => '/api/segments' },
  { method: 'POST', path: () => '/api/segments/preview' },
  { method: 'PUT', path: () => '/api/predictive-score' },
  { method: 'POST', path: () => '/api/topics' },
  { method: 'PUT', path: () => '/api/topics/news' },
  { method: 'PUT', path: () => '/api/rfm-settings' },
  { method: 'POST', path: () => '/api/site-keys', known: () => ({ name: 'shop.example.com' }) },
  { method: 'POST', path: () => '/api/forms', known: () => ({ name: 'F', fields: [{ name: 'email', label: 'Email', type: 'email' }] }) },
  { method: 'PUT', path: () => `/api/forms/${formId}`, known: () => ({ name: 'F', fields: [{ name: 'email', label: 'Email', type: 'email' }] }) },
  { method: 'POST', path: () => '/t/collect', open: true, known: () => ({ key: siteKey, anonymousId: 'anon_0123456789abcdef', events: [{ type: 'page_viewed' }] }) },
  { method: 'POST', path: () => `/f/${formId}/submit`, open: true, known: () => ({ email: 'fuzz@example.com' }) },
  { method: 'POST', path: () => '/unsubscribe/not-a-token', open: true },
  { method: 'POST', path: () => '/preferences/not-a-token', open: true },
];

/** Resource paths that take an id, fuzzed with hostile ids. */
const byId: { method: string; path: (id: string) => string; reports?: boolean }[] = [
  ...['GET', 'PUT', 'PATCH'].map((method) => ({ method, path: (id: string) => `/api/flows/${id}` })),
  ...['publish', 'pause', 'resume', 'archive', 'duplicate'].map((action) => ({ method: 'POST', path: (id: string) => `/api/flows/${id}/${action}` })),
  ...['versions', 'export', 'stats', 'enrollments', 'experiments/n'].map((view) => ({ method: 'GET', path: (id: string) => `/api/flows/${id}/${view}` })),
  { method: 'GET', path: (id) => `/api/contacts/${id}` },
  { method: 'GET', path: (id) => `/api/contacts/${id}/timeline` },
  ...['GET', 'PUT', 'DELETE'].flatMap((method) => ['scoring-rules', 'segments', 'forms', 'topics'].map((r) => ({ method, path: (id: string) => `/api/${r}/${id}` }))),
  { method: 'GET', path: (id) => `/api/segments/${id}/members` },
  { method: 'DELETE', path: (id) => `/api/site-keys/${id}` },
  // The open pixel answers every token with the image (mail clients show no broken image) and records nothing.
  { method: 'GET', path: (id) => `/o/${id}`, reports: true },
  { method: 'GET', path: (id) => `/c/${id}` },
  { method: 'GET', path: (id) => `/f/${id}` },
  { method: 'GET', path: (id) => `/f/${id}/embed` },
  { method: 'GET', path: (id) => `/unsubscribe/${id}` },
  { method: 'GET', path: (id) => `/preferences/${id}` },
];

/** An id as a path segment: lone surrogates as the bytes of one (invalid UTF-8), and sometimes raw '%' (bad escapes). */
function encodeId(id: string, rawPercent: boolean): string {
  let out: string;
  try { out = encodeURIComponent(id); } catch { out = `x%ED%A0%80${encodeURIComponent(id.replace(/[\ud800-\udfff]/g, ''))}`; }
  return rawPercent ? out.replace(/%25/g, '%') : out;
}

/** Row counts of every table in the database. */
async function tableCounts(): Promise<Record<string, number>> {
  // The setup's own events leave the outbox as they are dispatched: not something a request stored.
  await tend.until(async () => (await tend.sql('SELECT 1 FROM outbox')).length === 0, 'the outbox drained');
  // rate_limits is the limiter's own count of requests (every public request takes a
  // token), not something a request's content stored.
  const tables = await tend.sql<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'rate_limits' ORDER BY 1");
  const out: Record<string, number> = {};
  for (const { name } of tables) out[name] = (await tend.sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`))[0]!.n;
  return out;
}

async function send(method: string, path: string, body: string | undefined, open = false) {
  const headers: Record<string, string> = open ? {} : { authorization: `Bearer ${tend.apiKey}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(tend.url + path, { method, headers, body: method === 'GET' ? undefined : body });
  return { status: res.status, text: await res.text() };
}

test('fuzzed bodies and ids get a 4xx, the server stays up, and nothing is stored', async () => {
  const rand = seeded();
  console.log(`hostile seed ${rand.seed} (replay with TEND_TEST_SEED=${rand.seed})`);
  const before = await tableCounts();
  const wrong: string[] = [];
  const check = (what: string, status: number, text: string, reports = false) => {
    if (status >= 500 || (!reports && status < 400)) wrong.push(`${status} ${what} → ${text.slice(0, 200)}`);
  };

  for (const e of endpoints) {
    for (let i = 0; i < 14; i++) {
      const body = hostileBody(rand, e.known?.());
      const res = await send(e.method, e.path(), body, e.open);
      check(`${e.method} ${e.path()} ${body.slice(0, 160)}`, res.status, res.text, e.reports);
    }
  }
  // (Not the empty string: an empty id is another route, such as a list.)
  const ids = [...hostileStrings.filter((s) => s.length < 5000 && s !== ''), 'x'.repeat(9000), '00000000-0000-0000-0000-000000000000'];
  for (const r of byId) {
    for (const id of rand.shuffle([...ids]).slice(0, 8)) {
      const path = r.path(encodeId(id, rand.chance(0.5)));
      const res = await send(r.method, path, r.method === 'GET' ? undefined : hostileBody(rand));
      check(`${r.method} ${path.slice(0, 160)}`, res.status, res.text, r.reports);
    }
  }
  // Searches take any text: a hostile one finds nothing and breaks nothing.
  for (const q of hostileStrings.filter((s) => s.length < 5000)) {
    const res = await send('GET', `/api/contacts?q=${encodeId(q, false)}`, undefined);
    if (res.status >= 500) wrong.push(`${res.status} GET /api/contacts?q=${q}`);
  }

  expect(wrong, `seed ${rand.seed}`).toEqual([]);
  expect((await fetch(`${tend.url}/healthz`)).status).toBe(200);
  expect(await tableCounts()).toEqual(before);
});

test('text no column can hold (NUL, unpaired surrogates) in an otherwise valid body: 4xx, nothing stored', async () => {
  const before = await tableCounts();
  const cases: [string, string][] = [
    ['/api/events', '{"type":"signed_up","email":"nul@example.com","properties":{"note":"a\\u0000b"}}'],
    ['/api/events', '{"type":"signed_up","email":"nul@example.com","properties":{"a\\u0000":1}}'],
    ['/api/events', '{"type":"signed_up","email":"half@example.com","properties":{"note":"\\ud83d"}}'],
    ['/api/events', '{"type":"signed_up","email":"half@example.com","properties":{"note":"\\udc00\\ud800"}}'],
    ['/api/events', '{"type":"signed_up","externalId":"a\\u0000b"}'],
    ['/api/flows', '{"format":"tend.flow/v1","name":"a\\u0000b","nodes":[],"edges":[]}'],
    ['/api/flows', '{"format":"tend.flow/v1","name":"\\udfff","nodes":[],"edges":[]}'],
  ];
  const got: string[] = [];
  for (const [path, body] of cases) {
    const res = await send('POST', path, body);
    if (res.status < 400 || res.status >= 500) got.push(`${res.status} ${path} ${body}`);
  }
  expect(got).toEqual([]);
  // A well-formed pair (an emoji) and other unicode are fine, and stored as sent.
  const ok = await send('POST', '/api/events', '{"type":"signed_up","email":"emoji@example.com","properties":{"note":"\\ud83d\\ude00 \\u202e\\u05e9"}}');
  expect(ok.status).toBe(202);
  expect((await tend.sql("SELECT properties->>'note' AS note FROM events WHERE type = 'signed_up'"))[0].note).toBe('😀 \u202e\u05e9');
  const after = await tableCounts();
  expect(after.events).toBe(before.events! + 1);
});

test('template injection in a preview renders nothing of the server, and injected data is escaped', async () => {
  const before = await tableCounts();
  const attacks = [
    '{{constructor.constructor "return process"}}',
    '{{#with (lookup this "constructor")}}{{#with (lookup this "constructor")}}{{this "return process.env"}}{{/with}}{{/with}}',
    '{{lookup (lookup this "__proto__") "constructor"}}',
    '{{#each this}}{{@key}}{{/each}}{{> nosuchpartial}}',
    '{{{event.properties.html}}}{{event.properties.html}}',
    '{{#if}}',
  ];
  for (const html of attacks) {
    const res = await tend.api('POST', '/api/flows/preview-email', { subject: 'Hi', html, event: { type: 'x', properties: { html: '<img src=x onerror=alert(1)>' } } });
    expect(res.status, html).toBeLessThan(500);
    const out = JSON.stringify(res.body);
    expect(out, html).not.toMatch(/DATABASE_URL|TEND_API_KEY|process\.env|\[native code\]|function \w*\(/);
    if (html === '{{{event.properties.html}}}{{event.properties.html}}') expect(res.body.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
  }
  expect(await tableCounts()).toEqual(before);
});
