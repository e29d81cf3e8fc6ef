// The webhook node against a real HTTP receiver: retried on 5xx with one idempotency
// key, never retried on 4xx (the error port instead), response fields mapped onto
// the contact.
import { afterAll, beforeAll, expect, test } from 'vitest';
import pg from 'pg';
import { startTend, type Tend } from '../support/tend.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

let tend: Tend;
let crm: Receiver;
beforeAll(async () => {
  crm = await startReceiver();
  tend = await startTend();
});
afterAll(async () => {
  await tend?.stop();
  await crm?.close();
});

let n = 0;
async function program(config: Record<string, unknown>) {
  const event = `sync_${++n}`;
  const id = await tend.publish({
    format: 'tend.flow/v1',
    name: `webhook ${n}`,
    nodes: [
      { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: event } },
      { id: 'call', type: 'tend.action.webhook', version: 1, config },
      { id: 'ok', type: 'tend.action.update-contact', version: 1, config: { operations: [{ op: 'set', field: 'synced', value: 'yes' }] } },
      { id: 'failed', type: 'tend.action.update-contact', version: 1, config: { operations: [{ op: 'set', field: 'synced', value: 'no' }] } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'call' },
      { id: 'e2', source: 'call', sourcePort: 'next', target: 'ok' },
      { id: 'e3', source: 'call', sourcePort: 'error', target: 'failed' },
    ],
  });
  return { id, event };
}
const contact = async (email: string) => (await tend.api('GET', `/api/contacts?email=${encodeURIComponent(email)}`)).body.contacts[0];
const ended = (id: string) => tend.until(async () => (await tend.api('GET', `/api/flows/${id}/stats`)).body.enrollments.completed === 1, 'the run to end');

test('5xx is retried with the same idempotency key until it succeeds, then the response is mapped onto the contact', async () => {
  crm.requests.length = 0;
  crm.respond = (_req, i) => (i < 2 ? { status: 503, body: { error: 'busy' } } : { status: 201, body: { customer: { id: 'cus_42' }, tier: 'gold' } });
  const p = await program({
    method: 'POST',
    url: `${crm.url}/customers`,
    // `json` writes a value as a JSON literal, so quotes in the data cannot break the body.
    body: '{"email": {{json contact.email}}, "plan": {{json event.properties.plan}} }',
    retryDelaySeconds: 0.2,
    responseMapping: [{ from: 'body.customer.id', to: 'crm_id' }, { from: 'body.tier', to: 'tier' }, { from: 'status', to: 'crm_status' }],
  });
  await tend.event({ type: p.event, email: 'ada@example.com', properties: { plan: 'pro "annual"' } });
  await ended(p.id);
  expect(crm.requests).toHaveLength(3);
  expect(new Set(crm.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
  expect(crm.requests[2]!.json).toEqual({ email: 'ada@example.com', plan: 'pro "annual"' });
  expect((await contact('ada@example.com')).attributes).toMatchObject({ crm_id: 'cus_42', tier: 'gold', crm_status: 201, synced: 'yes' });
});

test('4xx is final: no retry, the contact leaves by the error port', async () => {
  crm.requests.length = 0;
  crm.respond = () => ({ status: 422, body: { error: 'email taken' } });
  const p = await program({ method: 'POST', url: `${crm.url}/customers`, body: '{"email": "{{contact.email}}"}', retryDelaySeconds: 0.2 });
  await tend.event({ type: p.event, email: 'bob@example.com' });
  await ended(p.id);
  await new Promise((r) => setTimeout(r, 800));
  expect(crm.requests).toHaveLength(1);
  expect((await contact('bob@example.com')).attributes.synced).toBe('no');
  const stats = (await tend.api('GET', `/api/flows/${p.id}/stats`)).body;
  expect([stats.edges.e2.count, stats.edges.e3.count]).toEqual([0, 1]);
});

test('a server that keeps failing sends the contact by the error port after the set attempts', async () => {
  crm.requests.length = 0;
  crm.respond = () => ({ status: 500 });
  const p = await program({ method: 'PUT', url: `${crm.url}/flaky`, maxAttempts: 3, retryDelaySeconds: 0.1 });
  await tend.event({ type: p.event, email: 'cy@example.com' });
  await ended(p.id);
  expect(crm.requests.map((r) => r.method)).toEqual(['PUT', 'PUT', 'PUT']);
  expect((await contact('cy@example.com')).attributes.synced).toBe('no');
  // The call ended: its message says failed and why, and so does the visit (it stayed "sending" before).
  expect(await tend.sql("SELECT status, reason FROM messages WHERE program_id = $1", [p.id])).toEqual([{ status: 'failed', reason: 'HTTP 500' }]);
  expect(await tend.sql("SELECT port, error FROM node_visits WHERE program_id = $1 AND node_id = 'call'", [p.id])).toEqual([{ port: 'error', error: 'HTTP 500' }]);
});

test('a name that does not resolve: the message fails with the lookup error, the visit names it, the contact leaves by the error port', async () => {
  const p = await program({ method: 'POST', url: 'http://no-such-host.invalid/hook', maxAttempts: 2, retryDelaySeconds: 0.1 });
  await tend.event({ type: p.event, email: 'lookup@example.com' });
  await ended(p.id);
  expect((await contact('lookup@example.com')).attributes.synced).toBe('no');
  const [message] = await tend.sql("SELECT status, reason FROM messages WHERE program_id = $1", [p.id]);
  expect(message.status).toBe('failed');
  expect(message.reason).toMatch(/no-such-host\.invalid|ENOTFOUND|EAI_AGAIN|not resolve/i);
  const [visit] = await tend.sql("SELECT port, error FROM node_visits WHERE program_id = $1 AND node_id = 'call'", [p.id]);
  expect(visit).toEqual({ port: 'error', error: message.reason });
});

test('a template Handlebars cannot parse is refused at validation, on its field; a JSON body ending in }}} is fine', async () => {
  const res = await tend.api('POST', '/api/flows/validate', {
    format: 'tend.flow/v1',
    name: 'broken template',
    nodes: [
      { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'x' } },
      { id: 'call', type: 'tend.action.webhook', version: 1, config: { method: 'POST', url: 'https://crm.example/{{contact.id', body: '{"plan": {{json event.properties.plan}}}' } },
    ],
    edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'call' }],
  });
  // The body is JSON written naturally ("}}}" closing both the value and the object): it parses now.
  expect(res.body.problems.map((p: { path: string }) => p.path)).toEqual(['/nodes/1/config/url']);
});

test('a template that fails while rendering is not retried: the contact leaves by the error port', async () => {
  crm.requests.length = 0;
  // An unknown helper is refused when the program is saved now; a currency code the runtime rejects still fails only when rendering.
  const p = await program({ method: 'POST', url: `${crm.url}/x`, body: '{"who": "{{money 5 "NOT-A-CURRENCY"}}"}' });
  await tend.event({ type: p.event, email: 'dee@example.com' });
  await ended(p.id);
  expect(crm.requests).toHaveLength(0);
  expect((await contact('dee@example.com')).attributes.synced).toBe('no');
  const db = new pg.Client({ connectionString: tend.databaseUrl });
  await db.connect();
  const visit = (await db.query("SELECT port, error FROM node_visits WHERE program_id = $1 AND node_id = 'call'", [p.id])).rows;
  await db.end();
  expect(visit).toEqual([{ port: 'error', error: expect.stringContaining('template error: Invalid currency code') }]);
});
