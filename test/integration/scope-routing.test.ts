// The scope rules and routing agree: a path spelled in another case, with an encoded
// slash or letter, a trailing or a doubled slash never lets a key do more than its
// scope allows. Every operation of the published API is tried under read and write
// keys with every spelling; each answer is 403 or 404 (never the handler), and nothing
// is stored. Outside testing minted an admin key with `POST /api/KEYS` and a write key.
import { afterAll, beforeAll, expect, test } from 'vitest';
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
  await res.arrayBuffer();
  return res.status;
}

const READ_POSTS = /^\/api\/(flows\/(validate|preview-email|\{id\}\/presence)|segments\/preview|scoring-rules\/check|landing-pages\/\{id\}\/preview-link)$/;
const needs = (method: string, template: string) =>
  /^\/api\/(keys|site-keys|users|audit-log|secrets)(\/|$)/.test(template) ? 'admin' : method === 'GET' || READ_POSTS.test(template) ? 'read' : 'write';
const RANK = { read: 0, write: 1, admin: 2 } as const;

/** The ways outside testing (and a curious attacker) spell one path. */
function spellings(path: string): string[] {
  const [, api, first, rest = ''] = /^\/(api)\/([^/]+)(.*)$/.exec(path)!;
  const upper = first!.toUpperCase();
  const title = first!.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
  const encodedLetter = `%${first!.charCodeAt(0).toString(16)}${first!.slice(1)}`;
  return [
    `/${api}/${upper}${rest}`,
    `/${api}/${title}${rest}`,
    `/${api.toUpperCase()}/${first}${rest}`,
    `/${api}/${encodedLetter}${rest}`,
    `/${api}//${first}${rest}`,
    `/${api}/${first}${rest}/`,
    `/${api}/${first}${rest.replace(/\//g, '%2F')}`,
    `/${api}/${first}${rest.replace(/\//g, '%2f')}`,
  ];
}

test('every operation under every spelling: a key never does more than its scope', async () => {
  const read = (await tend.api('POST', '/api/keys', { name: 'reader', scope: 'read' })).body.key as string;
  const write = (await tend.api('POST', '/api/keys', { name: 'writer', scope: 'write' })).body.key as string;
  const site = (await tend.api('POST', '/api/site-keys', { name: 'www' })).body;
  const apiKey = (await tend.api('POST', '/api/keys', { name: 'target', scope: 'read' })).body;
  const before = await tend.sql(`SELECT (SELECT count(*) FROM api_keys)::int AS keys, (SELECT count(*) FROM site_keys)::int AS sites,
    (SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL)::int AS revoked, (SELECT count(*) FROM site_keys WHERE revoked_at IS NOT NULL)::int AS sites_revoked,
    (SELECT count(*) FROM programs)::int AS programs, (SELECT count(*) FROM contacts)::int AS contacts, (SELECT count(*) FROM events)::int AS events`);

  const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
  // (/api/auth is for people signing in, with no key: test/integration/people.test.ts.)
  const operations = Object.entries(paths).filter(([p]) => p.startsWith('/api/') && !p.startsWith('/api/auth/'))
    .flatMap(([p, ops]) => Object.keys(ops).map((m) => [m.toUpperCase(), p] as const));
  expect(operations.length).toBeGreaterThan(50);
  const idFor = (template: string) => template.startsWith('/api/site-keys') ? site.id : template.startsWith('/api/keys') ? apiKey.id : '00000000-0000-4000-8000-000000000000';

  const reached: string[] = [];
  let tried = 0;
  for (const [scope, key] of [['read', read], ['write', write]] as const) {
    for (const [method, template] of operations) {
      const need = needs(method, template);
      if (RANK[need] <= RANK[scope]) continue;
      const path = template.replace(/\{[^}]+\}/g, idFor(template));
      // The plain spelling is refused with 403 naming the scope…
      expect(await as(key, method, path, method === 'GET' || method === 'DELETE' ? undefined : { name: 'sneaky', scope: 'admin' }), `${scope} ${method} ${path}`).toBe(403);
      // …and every other spelling is refused or reaches nothing.
      for (const spelled of spellings(path)) {
        const status = await as(key, method, spelled, method === 'GET' || method === 'DELETE' ? undefined : { name: 'sneaky', scope: 'admin' });
        tried++;
        if (status !== 403 && status !== 404) reached.push(`${scope} key: ${method} ${spelled} → ${status}`);
      }
    }
  }
  expect(tried).toBeGreaterThan(250);
  expect(reached).toEqual([]);
  expect(await tend.sql(`SELECT (SELECT count(*) FROM api_keys)::int AS keys, (SELECT count(*) FROM site_keys)::int AS sites,
    (SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL)::int AS revoked, (SELECT count(*) FROM site_keys WHERE revoked_at IS NOT NULL)::int AS sites_revoked,
    (SELECT count(*) FROM programs)::int AS programs, (SELECT count(*) FROM contacts)::int AS contacts, (SELECT count(*) FROM events)::int AS events`)).toEqual(before);
});

test('the routes themselves are case-sensitive: /api/KEYS is no route, even for an admin key', async () => {
  expect((await tend.api('GET', '/api/keys')).status).toBe(200);
  expect((await tend.api('GET', '/api/KEYS')).status).toBe(404);
  expect((await tend.api('POST', '/api/Flows', { format: 'tend.flow/v1', name: 'x', nodes: [], edges: [] })).status).toBe(404);
  expect((await tend.api('GET', '/api/keys/')).status).toBe(200);
});

test('a documented path asked with a method it does not have is 405 with Allow', async () => {
  const res = await fetch(`${tend.url}/api/catalogue`, { method: 'PATCH', headers: { authorization: `Bearer ${tend.apiKey}` } });
  expect(res.status).toBe(405);
  expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  expect((await res.json()).errors[0].message).toContain('PATCH is not allowed here');
  // Routes the document does not describe still answer (contacts batch sits beside /contacts/{id}).
  expect((await tend.api('POST', '/api/contacts/batch', { contacts: [{ email: 'b@example.com' }] })).status).toBeLessThan(300);
});
