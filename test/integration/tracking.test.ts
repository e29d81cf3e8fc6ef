// The public tracking endpoint: site keys are created, listed and revoked with the
// admin key; a site key writes tracking events and nothing else; bad keys and bad
// input are refused with the field named and nothing stored; identify merges the
// visitor's anonymous history into the known contact, and later hits follow it.
import { afterAll, beforeAll, expect, test } from 'vitest';
import pg from 'pg';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
let db: pg.Client;
let key: string;
beforeAll(async () => {
  tend = await startTend();
  db = new pg.Client({ connectionString: tend.databaseUrl });
  await db.connect();
  const created = await tend.api('POST', '/api/site-keys', { name: 'www.example.com' });
  expect(created.status).toBe(201);
  key = created.body.key;
});
afterAll(async () => {
  await db?.end();
  await tend?.stop();
});

const collect = (body: unknown, contentType = 'text/plain') =>
  fetch(`${tend.url}/t/collect`, { method: 'POST', headers: { 'content-type': contentType, origin: 'https://www.example.com' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const count = async (sql: string) => Number((await db.query(sql)).rows[0].n);
const pageView = (path: string) => ({ type: 'page_view', properties: { url: `https://www.example.com${path}`, path, title: path } });

test('site keys: shown once, listed by prefix, stored hashed; a site key reads nothing', async () => {
  expect(key).toMatch(/^pk_[A-Za-z0-9_-]{20,}$/);
  const listed = (await tend.api('GET', '/api/site-keys')).body.siteKeys;
  expect(listed).toEqual([expect.objectContaining({ name: 'www.example.com', prefix: key.slice(0, 10), revokedAt: null })]);
  expect(JSON.stringify(listed)).not.toContain(key);
  expect(await count(`SELECT count(*) AS n FROM site_keys WHERE key_hash = '${key}'`)).toBe(0);

  for (const path of ['/api/contacts', '/api/flows', '/api/site-keys', '/api/node-types']) {
    const res = await fetch(tend.url + path, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status, path).toBe(401);
  }
  const write = await fetch(`${tend.url}/api/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'x', email: 'a@example.com' }) });
  expect(write.status).toBe(401);
});

test('bad, missing and revoked keys and bad input get a 4xx naming the field, and nothing is stored', async () => {
  const before = await count('SELECT count(*) AS n FROM events');
  const contactsBefore = await count('SELECT count(*) AS n FROM contacts');
  const visitor = 'visitor-refused-1';

  const missing = await collect({ anonymousId: visitor, events: [pageView('/')] });
  expect(missing.status).toBe(422);
  expect(missing.headers.get('access-control-allow-origin')).toBe('*');
  expect((await missing.json()).errors).toEqual([expect.objectContaining({ path: '/key' })]);

  const unknown = await collect({ key: 'pk_' + 'x'.repeat(32), anonymousId: visitor, events: [pageView('/')] });
  expect(unknown.status).toBe(401);
  expect((await unknown.json()).errors).toEqual([expect.objectContaining({ path: '/key' })]);

  const cases: [unknown, number, string][] = [
    [{ key, anonymousId: 'short', events: [pageView('/')] }, 422, '/anonymousId'],
    [{ key, anonymousId: visitor, events: [{ type: 'page_view', properties: { url: 'https://x' } }] }, 422, '/events/0/properties/path'],
    [{ key, anonymousId: visitor, events: [pageView('/'), { type: 'tend.score_changed' }] }, 422, '/events/1/type'],
    [{ key, anonymousId: visitor, events: [pageView('/'), { type: 'ok', properties: { deep: { a: 1 } } }] }, 422, '/events/1/properties/deep'],
    [{ key, anonymousId: visitor, identify: { email: 'not-an-email' } }, 422, '/identify/email'],
    [{ key, anonymousId: visitor }, 422, '/events'],
    [{ key, anonymousId: visitor, events: [pageView('/')], extra: 1 }, 422, '/extra'],
    [`{"key":"${key}","anonymousId":"${visitor}","events":${'['.repeat(100)}${']'.repeat(100)}}`, 422, '/'],
  ];
  for (const [body, status, path] of cases) {
    const res = await collect(body);
    expect(res.status, path).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await res.json()).errors.map((e: { path: string }) => e.path), path).toContain(path);
  }
  expect((await collect('{"key":')).status).toBe(400);
  const huge = await collect({ key, anonymousId: visitor, events: [{ type: 'big', properties: { text: 'x'.repeat(1990) } }].concat(Array(10).fill({ type: 'big', properties: { text: 'x'.repeat(1990) } })) });
  expect(huge.status).toBe(413);

  // Revoked: refused from then on.
  const other = (await tend.api('POST', '/api/site-keys', { name: 'old site' })).body;
  expect((await collect({ key: other.key, anonymousId: visitor, events: [pageView('/')] })).status).toBe(202);
  expect((await tend.api('DELETE', `/api/site-keys/${other.id}`)).body.revokedAt).not.toBeNull();
  const afterRevoke = before + 1;
  expect((await collect({ key: other.key, anonymousId: visitor, events: [pageView('/again')] })).status).toBe(401);

  expect(await count('SELECT count(*) AS n FROM events')).toBe(afterRevoke);
  expect(await count('SELECT count(*) AS n FROM contacts')).toBe(contactsBefore + 1);
});

test('the preflight and the script are open to any origin', async () => {
  const pre = await fetch(`${tend.url}/t/collect`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } });
  expect(pre.status).toBe(204);
  expect(pre.headers.get('access-control-allow-origin')).toBe('*');
  const script = await fetch(`${tend.url}/t.js`);
  expect(script.headers.get('content-type')).toContain('javascript');
  expect(await script.text()).toContain('sendBeacon');
});

test('identify merges the anonymous history into the known contact; a second browser merges too; old ids follow', async () => {
  const known = (await tend.api('PUT', '/api/contacts', { email: 'ada@example.com', attributes: { plan: 'pro' } })).body;
  const a = 'browser-a-1234';
  expect((await collect({ key, anonymousId: a, events: [pageView('/'), pageView('/pricing')] })).status).toBe(202);
  expect((await collect({ key, anonymousId: a, events: [{ type: 'cta_clicked', properties: { name: 'demo', path: '/pricing' }, clientId: 'click-0001' }] })).status).toBe(202);
  // The same click sent twice (a retried beacon) is stored once.
  expect((await collect({ key, anonymousId: a, events: [{ type: 'cta_clicked', properties: { name: 'demo', path: '/pricing' }, clientId: 'click-0001' }] })).status).toBe(202);
  const anonymous = (await db.query("SELECT contact_id FROM contact_identities WHERE value = $1", [a])).rows[0].contact_id;
  expect(anonymous).not.toBe(known.id);

  expect((await collect({ key, anonymousId: a, identify: { email: 'Ada@Example.com', attributes: { first_name: 'Ada', plan: 'free' } } })).status).toBe(202);
  const timeline = (await tend.api('GET', `/api/contacts/${known.id}/timeline`)).body.entries.filter((e: any) => e.kind === 'event');
  const types = timeline.map((e: any) => e.type);
  expect(types.filter((t: string) => !t.startsWith('tend.'))).toEqual(['page_view', 'page_view', 'cta_clicked']);
  expect(timeline.filter((e: any) => e.type === 'page_view').map((e: any) => e.properties.path)).toEqual(['/', '/pricing']);
  expect(timeline.find((e: any) => e.type === 'tend.contacts_merged').properties).toMatchObject({ mergedContactId: anonymous, reason: 'identify', eventsMoved: 3 });
  expect((await tend.api('GET', `/api/contacts/${anonymous}`)).body.mergedInto).toBe(known.id);
  expect((await tend.api('GET', `/api/contacts/${known.id}`)).body.mergedInto).toBeUndefined();
  expect((await db.query('SELECT survivor_id, events_moved FROM contact_merges WHERE merged_id = $1', [anonymous])).rows).toEqual([{ survivor_id: known.id, events_moved: 3 }]);
  // What the visitor said about themselves fills the known contact's empty fields; it changes no set one (engine/audience/browser-trust.ts).
  expect((await tend.api('GET', `/api/contacts/${known.id}`)).body.attributes).toEqual({ plan: 'pro', first_name: 'Ada' });

  // Later hits with the old anonymous id land on the known contact.
  await collect({ key, anonymousId: a, events: [pageView('/docs')] });
  expect(await count(`SELECT count(*) AS n FROM events WHERE contact_id = '${known.id}' AND type = 'page_view'`)).toBe(3);

  // A second browser of the same person.
  const b = 'browser-b-5678';
  await collect({ key, anonymousId: b, events: [pageView('/blog')] });
  await collect({ key, anonymousId: b, identify: { email: 'ada@example.com' } });
  expect(await count(`SELECT count(*) AS n FROM events WHERE contact_id = '${known.id}' AND type = 'page_view'`)).toBe(4);
  expect(await count(`SELECT count(*) AS n FROM contact_merges WHERE survivor_id = '${known.id}'`)).toBe(2);
  expect(await count(`SELECT count(*) AS n FROM contact_identities WHERE contact_id = '${known.id}'`)).toBe(2);
});

test('a browser seen for the first time identifying with a new email: one new contact, no empty visitor to merge', async () => {
  const contactsBefore = await count('SELECT count(*) AS n FROM contacts');
  const v = 'browser-new-0001';
  expect((await collect({ key, anonymousId: v, events: [pageView('/signup')], identify: { email: 'new@example.com' } })).status).toBe(202);
  const contact = (await tend.api('GET', '/api/contacts?email=new@example.com')).body.contacts[0];
  const types = (await tend.api('GET', `/api/contacts/${contact.id}/timeline`)).body.entries.map((e: any) => e.type);
  expect(types).toEqual(['page_view']);
  expect(await count('SELECT count(*) AS n FROM contacts')).toBe(contactsBefore + 1);
  expect((await db.query('SELECT contact_id FROM contact_identities WHERE value = $1', [v])).rows).toEqual([{ contact_id: contact.id }]);
  // Its later hits land there too.
  await collect({ key, anonymousId: v, events: [pageView('/welcome')] });
  expect(await count(`SELECT count(*) AS n FROM events WHERE contact_id = '${contact.id}' AND type = 'page_view'`)).toBe(2);
});

test('points the visitor earned come along as a score change; hits racing the merge all land on the survivor', async () => {
  expect((await tend.api('POST', '/api/scoring-rules', { name: 'Pricing interest', eventType: 'page_view', where: { field: 'event.properties.path', op: 'glob', value: '/pricing*' }, points: 5 })).status).toBe(201);
  const v = 'browser-score-0001';
  await collect({ key, anonymousId: v, events: [pageView('/pricing'), pageView('/pricing/teams'), pageView('/blog')] });
  const anonymous = (await db.query('SELECT contact_id FROM contact_identities WHERE value = $1', [v])).rows[0].contact_id;
  await tend.until(async () => (await tend.api('GET', `/api/contacts/${anonymous}`)).body.score === 10, 'the visitor’s points');

  const known = (await tend.api('PUT', '/api/contacts', { email: 'racer@example.com' })).body;
  // Page views sent while the visitor identifies: none may stay behind on the merged contact.
  const hits = Array.from({ length: 12 }, (_, i) => collect({ key, anonymousId: v, events: [pageView(`/race/${i}`)] }));
  const identified = collect({ key, anonymousId: v, identify: { email: 'racer@example.com' } });
  expect((await Promise.all([...hits, identified])).map((r) => r.status)).toEqual(Array(13).fill(202));
  expect(await count(`SELECT count(*) AS n FROM events WHERE contact_id = '${anonymous}'`)).toBe(0);
  expect(await count(`SELECT count(*) AS n FROM events WHERE contact_id = '${known.id}' AND type = 'page_view'`)).toBe(15);

  expect((await tend.api('GET', `/api/contacts/${known.id}`)).body.score).toBe(10);
  const change = (await tend.api('GET', `/api/contacts/${known.id}/timeline`)).body.entries.find((e: any) => e.type === 'tend.score_changed' && e.properties.reason === 'merged');
  expect(change.properties).toMatchObject({ delta: 10, score: 10, previous: 0, mergedContactId: anonymous });
});

test('a click in an email to a tracked site carries a short-lived signed contact token that identifies the browser', async () => {
  await tend.api('POST', '/api/site-keys', { name: 'with domains', domains: ['WWW.example.com'] });
  await tend.publish({
    format: 'tend.flow/v1',
    name: 'Pricing mail',
    nodes: [
      { id: 'asked', type: 'tend.trigger.event', version: 1, config: { eventType: 'pricing_requested' } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'Our prices', html: '<p><a href="https://www.example.com/pricing?utm=mail">Prices</a> <a href="https://elsewhere.example/x">Elsewhere</a></p>' } },
    ],
    edges: [{ id: 'e1', source: 'asked', sourcePort: 'next', target: 'mail' }],
  });
  const { contactId } = await tend.event({ type: 'pricing_requested', email: 'clicker@example.com' });
  const mail = (await tend.until(async () => tend.mailbox.messages.find((m) => m.subject === 'Our prices'), 'the email'))!;
  const [toSite, toElsewhere] = [...String(mail.html).matchAll(/href="([^"]+\/c\/[^"]+)"/g)].map((m) => m[1]!);
  expect((await fetch(toElsewhere!, { redirect: 'manual' })).headers.get('location')).toBe('https://elsewhere.example/x');
  const landing = new URL((await fetch(toSite!, { redirect: 'manual' })).headers.get('location')!);
  expect(landing.origin + landing.pathname).toBe('https://www.example.com/pricing');
  expect(landing.searchParams.get('utm')).toBe('mail');
  const token = landing.searchParams.get('tend_c')!;
  expect(token).toMatch(new RegExp(`^${contactId}\\.`));

  // Forged or tampered tokens are refused and store nothing.
  const v = 'browser-clicked-01';
  const before = await count('SELECT count(*) AS n FROM events');
  const forged = await collect({ key, anonymousId: v, contactToken: token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), events: [pageView('/pricing')] });
  expect(forged.status).toBe(422);
  expect((await forged.json()).errors).toEqual([expect.objectContaining({ path: '/contactToken' })]);
  expect(await count('SELECT count(*) AS n FROM events')).toBe(before);

  await collect({ key, anonymousId: v, events: [pageView('/')] });
  expect((await collect({ key, anonymousId: v, contactToken: token, events: [pageView('/pricing')] })).status).toBe(202);
  const entries = (await tend.api('GET', `/api/contacts/${contactId}/timeline`)).body.entries;
  expect(entries.filter((e: any) => e.type === 'page_view').map((e: any) => e.properties.path)).toEqual(['/', '/pricing']);
  expect(entries.find((e: any) => e.type === 'tend.contacts_merged').properties).toMatchObject({ reason: 'email click' });
});
