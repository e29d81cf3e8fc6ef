// Names that are not field names are refused with the path, never stored: attribute
// and consent keys outside their patterns (a JSON Schema `patternProperties` alone lets
// them through), `__proto__`, nested objects where only scalars are allowed, and form
// fields sent twice. Outside testing stored all of these before.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
let key: string;
beforeAll(async () => {
  tend = await startTend({ worker: false });
  key = (await tend.api('POST', '/api/site-keys', { name: 'www' })).body.key;
});
afterAll(async () => {
  await tend?.stop();
});

const put = async (body: string) => {
  const res = await fetch(`${tend.url}/api/contacts`, { method: 'PUT', headers: { authorization: `Bearer ${tend.apiKey}`, 'content-type': 'application/json' }, body });
  return { status: res.status, body: await res.json() };
};
const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);

test('contact attributes and consent: keys outside the pattern and __proto__ are 422 with the path, nothing stored', async () => {
  for (const [body, path] of [
    ['{"email":"a@example.com","consent":{"EMAIL":"no"}}', '/consent/EMAIL'],
    ['{"email":"a@example.com","attributes":{"bad key!":1}}', '/attributes/bad key!'],
    ['{"email":"a@example.com","attributes":{"__proto__":{"x":1}}}', '/attributes/__proto__'],
    ['{"email":"a@example.com","attributes":{"constructor":"x"}}', '/attributes/constructor'],
  ] as const) {
    const res = await put(body);
    expect(res.status, body).toBe(422);
    expect(paths(res.body), body).toContain(path);
  }
  expect(await tend.sql("SELECT 1 FROM contacts WHERE email = 'a@example.com'")).toHaveLength(0);
  expect((await put('{"email":"a@example.com","attributes":{"first_name":"Ada"},"consent":{"email":true}}')).status).toBeLessThan(300);
});

test('/t/collect: attribute names and event properties keep to their patterns and to scalars', async () => {
  const collect = async (body: unknown) => {
    const res = await fetch(`${tend.url}/t/collect`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json().catch(() => ({})) };
  };
  const before = (await tend.sql('SELECT count(*)::int AS n FROM events'))[0].n;
  const nested = await collect({ key, anonymousId: 'visitor-nested-01', events: [{ type: 'clicked', properties: { 'a b': { deep: { deeper: 1 } } } }] });
  expect(nested.status).toBe(422);
  expect(paths(nested.body)).toContain('/events/0/properties/a b');
  const proto = await collect({ key, anonymousId: 'visitor-nested-01', identify: { email: 'b@example.com', attributes: { __proto__: 'x', 'x-y': { a: 1 } } } });
  expect(proto.status).toBe(422);
  expect(paths(proto.body)).toContain('/identify/attributes/x-y');
  expect((await tend.sql('SELECT count(*)::int AS n FROM events'))[0].n).toBe(before);
  expect(await tend.sql("SELECT 1 FROM contacts WHERE email = 'b@example.com'")).toHaveLength(0);
});

test('a form field sent twice is refused with its path (it was a 500 for _shown, a list for _page)', async () => {
  const form = (await tend.api('POST', '/api/forms', { name: 'Signup', fields: [{ name: 'email', label: 'Email', type: 'email', required: true }, { name: 'first_name', label: 'First name', type: 'text' }] })).body;
  for (const [body, path] of [
    ['email=c%40example.com&_shown=email&_shown=first_name', '/_shown'],
    ['email=c%40example.com&_page=%2Fa&_page=%2Fb', '/_page'],
    ['email=c%40example.com&first_name=A&first_name=B', '/values/first_name'],
  ] as const) {
    const res = await fetch(`${tend.url}/f/${form.id}/submit`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(res.status, body).toBe(422);
    expect(paths(await res.json()), body).toContain(path);
  }
  expect(await tend.sql("SELECT 1 FROM contacts WHERE email = 'c@example.com'")).toHaveLength(0);
});
