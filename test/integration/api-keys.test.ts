// Scoped API keys as a client sees them: created through the API and the CLI, shown
// once, stored hashed; read keys only read, write keys change everything but keys,
// admin keys manage keys; site, revoked and unknown keys are refused.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { startTend, type Tend } from '../support/tend.js';
import { openApiDocument } from '../../server/openapi.js';

let tend: Tend;
beforeAll(async () => {
  tend = await startTend({ worker: false });
});
afterAll(async () => {
  await tend?.stop();
});

async function as(key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(tend.url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
}

function cli(key: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { env: { ...process.env, TEND_URL: tend.url, TEND_API_KEY: key, TEND_PLUGINS: '' } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

const program = (name: string) => ({ format: 'tend.flow/v1', name, nodes: [{ id: 't', type: 'tend.trigger.event', version: 1, config: { eventType: 'x' } }], edges: [] });

test('keys are created through the API, shown once, listed by prefix and stored hashed', async () => {
  const keys: string[] = [];
  for (const scope of ['read', 'write', 'admin']) {
    const created = await tend.api('POST', '/api/keys', { name: `api ${scope}`, scope });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: `api ${scope}`, scope, revokedAt: null });
    expect(created.body.key).toMatch(new RegExp(`^tend_${scope}_[A-Za-z0-9_-]{32}$`));
    expect(created.body.key.startsWith(created.body.prefix)).toBe(true);
    keys.push(created.body.key);
  }
  const listed = await tend.api('GET', '/api/keys');
  expect(listed.body.keys.map((k: { scope: string }) => k.scope)).toEqual(expect.arrayContaining(['read', 'write', 'admin']));
  const everything = JSON.stringify(await tend.sql('SELECT * FROM api_keys')) + JSON.stringify(listed.body);
  for (const key of keys) {
    expect(everything).not.toContain(key);
    expect(everything).not.toContain(key.slice(12));
  }
  expect(await tend.sql('SELECT 1 FROM api_keys WHERE key_hash = encode(sha256($1::bytea), \'hex\')', [keys[0]])).toHaveLength(1);

  expect((await tend.api('POST', '/api/keys', { name: 'x', scope: 'root' })).status).toBe(422);
  expect((await tend.api('POST', '/api/keys', { name: '', scope: 'read' })).status).toBe(422);
});

test('a read key reads and previews, and gets 403 naming the scope needed on every write', async () => {
  const read = (await tend.api('POST', '/api/keys', { name: 'reader', scope: 'read' })).body.key;
  expect((await as(read, 'GET', '/api/flows')).status).toBe(200);
  expect((await as(read, 'GET', '/api/contacts')).status).toBe(200);
  expect((await as(read, 'GET', '/api/node-types')).status).toBe(200);
  expect((await as(read, 'POST', '/api/flows/validate', program('v'))).status).toBe(200);

  // Every method other than GET in the published API description.
  const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
  const writes = Object.entries(paths).filter(([p]) => p.startsWith('/api/') && !p.startsWith('/api/auth/')).flatMap(([p, ops]) => Object.keys(ops).filter((m) => m !== 'get').map((m) => [m.toUpperCase(), p] as const));
  expect(writes.length).toBeGreaterThan(20);
  const before = await tend.sql('SELECT (SELECT count(*) FROM programs)::int AS programs, (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM contacts)::int AS contacts');
  for (const [method, template] of writes) {
    if (/\/(validate|preview-email|preview|preview-link|presence|check)$/.test(template)) continue;
    const path = template.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
    const res = await as(read, method, path, {});
    const needs = /^\/api\/(keys|site-keys|users|audit-log)/.test(path) ? 'admin' : 'write';
    expect(res.status, `${method} ${path}`).toBe(403);
    expect(res.type).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 403, requiredScope: needs, scope: 'read' });
    expect(res.body.errors[0].message).toContain(`needs scope ${needs}`);
  }
  expect(await tend.sql('SELECT (SELECT count(*) FROM programs)::int AS programs, (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM contacts)::int AS contacts')).toEqual(before);
});

test('a write key changes programs, contacts and events but cannot manage keys', async () => {
  const write = (await tend.api('POST', '/api/keys', { name: 'writer', scope: 'write' })).body.key;
  expect((await as(write, 'POST', '/api/flows', program('by writer'))).status).toBe(201);
  expect((await as(write, 'POST', '/api/events', { type: 'signed_up', email: 'w@example.com' })).status).toBeLessThan(300);
  for (const [method, path] of [['GET', '/api/keys'], ['POST', '/api/keys'], ['POST', '/api/site-keys'], ['GET', '/api/site-keys']] as const) {
    const res = await as(write, method, path, method === 'POST' ? { name: 'sneaky', scope: 'admin' } : undefined);
    expect(res.status, `${method} ${path}`).toBe(403);
    expect(res.body.requiredScope).toBe('admin');
  }
  expect(await tend.sql("SELECT 1 FROM api_keys WHERE name = 'sneaky'")).toHaveLength(0);

  const admin = (await tend.api('POST', '/api/keys', { name: 'second admin', scope: 'admin' })).body.key;
  const made = await as(admin, 'POST', '/api/keys', { name: 'made by admin key', scope: 'read' });
  expect(made.status).toBe(201);
  expect((await as(made.body.key, 'GET', '/api/flows')).status).toBe(200);
});

test('site keys, revoked keys, unknown keys and no key get 401', async () => {
  const site = (await tend.api('POST', '/api/site-keys', { name: 'www' })).body.key;
  const created = (await tend.api('POST', '/api/keys', { name: 'soon gone', scope: 'admin' })).body;
  expect((await as(created.key, 'GET', '/api/flows')).status).toBe(200);
  const revoked = await tend.api('DELETE', `/api/keys/${created.id}`);
  expect(revoked.body.revokedAt).not.toBeNull();
  for (const key of [site, created.key, 'tend_read_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', created.key + 'x', '']) {
    const res = await as(key, 'GET', '/api/flows');
    expect(res.status, key).toBe(401);
    expect(res.type).toContain('application/problem+json');
  }
  expect((await tend.api('DELETE', '/api/keys/00000000-0000-4000-8000-000000000000')).status).toBe(404);
});

test('the CLI creates, lists and revokes keys with an admin key; a write key may not', async () => {
  const made = await cli(tend.apiKey, 'keys', 'create', '--scope', 'read', '--name', 'ci');
  expect(made.code).toBe(0);
  const key = made.stdout.trim();
  expect(key).toMatch(/^tend_read_/);
  expect(made.stderr).toContain('read key "ci"');
  expect((await as(key, 'GET', '/api/flows')).status).toBe(200);
  expect((await as(key, 'POST', '/api/flows', program('ci'))).status).toBe(403);

  const list = await cli(tend.apiKey, 'keys', 'list');
  expect(list.code).toBe(0);
  const line = list.stdout.split('\n').find((l) => l.endsWith('  ci'))!;
  expect(line).toContain(key.slice(0, 14));
  expect(list.stdout).not.toContain(key);
  const id = line.split(/\s+/)[0]!;

  const writer = (await tend.api('POST', '/api/keys', { name: 'cli writer', scope: 'write' })).body.key;
  const refused = await cli(writer, 'keys', 'revoke', id);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('403');
  expect(refused.stderr).toContain('needs scope admin');

  const revoked = await cli(tend.apiKey, 'keys', 'revoke', id);
  expect(revoked).toMatchObject({ code: 0, stdout: expect.stringContaining('Revoked read key "ci"') });
  expect((await as(key, 'GET', '/api/flows')).status).toBe(401);
  expect(JSON.stringify(await tend.sql('SELECT * FROM api_keys'))).not.toContain(key);
});

test('a scoped admin key reads /metrics; read and write keys do not', async () => {
  const metrics = (key: string) => fetch(`${tend.url}/metrics`, { headers: { authorization: `Bearer ${key}` } }).then(async (r) => ({ status: r.status, text: await r.text() }));
  const admin = (await tend.api('POST', '/api/keys', { name: 'prometheus', scope: 'admin' })).body.key;
  const write = (await tend.api('POST', '/api/keys', { name: 'not for metrics', scope: 'write' })).body.key;
  const ok = await metrics(admin);
  expect(ok.status).toBe(200);
  expect(ok.text).toContain('tend_outbox_depth');
  expect((await metrics(write)).status).toBe(401);
  expect((await metrics('tend_admin_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(401);
});
