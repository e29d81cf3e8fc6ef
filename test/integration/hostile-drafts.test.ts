// A draft may be unfinished but not hostile. Outside testing stored, as drafts, node
// settings with an unknown `__proto__` key, templates that walk into prototypes or
// include `../../etc/passwd`, a name with a right-to-left override, and got a NUL in a
// name refused with path "/". Each is refused now at create, import and save, with the
// path; unfinished work (a half-typed template, an unknown helper) is still saved and
// reported in the same pass as the form's problems.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
beforeAll(async () => { tend = await startTend({ worker: false }); });
afterAll(async () => { await tend?.stop(); });

const doc = (over: { name?: string; label?: string; config?: Record<string, unknown> } = {}) => ({
  format: 'tend.flow/v1',
  name: over.name ?? 'Welcome',
  nodes: [
    { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'joined' } },
    { id: 'mail', type: 'tend.action.email', version: 1, ...(over.label ? { label: over.label } : {}), config: over.config ?? { subject: 'Hi', html: '<p>Hi</p>' } },
  ],
  edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'mail' }],
});
const raw = async (method: string, path: string, body: string) => {
  const res = await fetch(tend.url + path, { method, headers: { authorization: `Bearer ${tend.apiKey}`, 'content-type': 'application/json' }, body });
  return { status: res.status, body: await res.json() };
};
const paths = (b: { errors?: { path: string }[] }) => (b.errors ?? []).map((e) => e.path);

test('hostile documents are refused at create, import and save, each with its path; nothing is stored', async () => {
  const hostile: [string, string][] = [
    [JSON.stringify(doc()).replace('"config":{"subject"', '"config":{"__proto__":{"x":1},"subject"'), '/nodes/1/config/__proto__'],
    [JSON.stringify(doc({ config: { subject: 'Hi {{constructor.constructor}}', html: '<p>x</p>' } })), '/nodes/1/config/subject'],
    [JSON.stringify(doc({ config: { subject: 'Hi', html: '{{> ../../etc/passwd}}' } })), '/nodes/1/config/html'],
    [JSON.stringify(doc({ config: { subject: 'Hi', html: '{{lookup contact "constructor"}}' } })), '/nodes/1/config/html'],
    [JSON.stringify(doc({ name: 'Invoice \u202Efdp.exe' })), '/name'],
    [JSON.stringify(doc({ name: 'Nul\u0000name' })), '/name'],
    [JSON.stringify(doc({ label: 'Send\u0007' })), '/nodes/1/label'],
  ];
  const before = (await tend.sql('SELECT count(*)::int AS n FROM programs'))[0].n;
  for (const [body, path] of hostile) {
    for (const at of ['/api/flows', '/api/flows/import']) {
      const res = await raw('POST', at, body);
      expect(res.status, `${at} ${body}`).toBe(422);
      expect(paths(res.body), body).toContain(path);
    }
  }
  expect((await tend.sql('SELECT count(*)::int AS n FROM programs'))[0].n).toBe(before);

  const created = await tend.api('POST', '/api/flows', doc());
  expect(created.status).toBe(201);
  for (const [body, path] of hostile) {
    const res = await raw('PUT', `/api/flows/${created.body.id}`, body);
    expect(res.status, body).toBe(422);
    expect(paths(res.body), body).toContain(path);
  }
  expect((await tend.api('GET', `/api/flows/${created.body.id}`)).body.draft).toEqual(doc());
  const renamed = await raw('PATCH', `/api/flows/${created.body.id}`, JSON.stringify({ name: 'x\u202Ey' }));
  expect(renamed.status).toBe(422);
  expect(paths(renamed.body)).toEqual(['/name']);
});

test('unfinished work is saved and reported with the form’s problems: a half-typed template, an unknown helper, partial or layout', async () => {
  const created = await tend.api('POST', '/api/flows', doc({ config: { subject: 'Hi {{contact.', html: '{{shout contact.email}} {{> footer}}', layout: 'fancy' } }));
  expect(created.status).toBe(201);
  const messages = Object.fromEntries(created.body.problems.map((p: { path: string; message: string }) => [p.path, p.message]));
  expect(messages['/nodes/1/config/subject']).toBe('Subject: a {{ is not closed with }} (line 1).');
  expect(messages['/nodes/1/config/html']).toContain('"shout", which is not a helper');
  expect(messages['/nodes/1/config/layout']).toContain('There is no layout "fancy"');
  const partial = await tend.api('POST', '/api/flows/validate', doc({ config: { subject: 'Hi', html: '{{> footer}}' } }));
  expect(partial.body.problems).toEqual([{ path: '/nodes/1/config/html', message: expect.stringContaining('"footer", which is not a partial') }]);
  expect((await tend.api('POST', `/api/flows/${created.body.id}/publish`)).status).toBe(422);
});
