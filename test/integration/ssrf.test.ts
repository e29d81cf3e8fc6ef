// The SSRF guard: webhooks, CRM tasks and the SMS provider refuse loopback, private,
// link-local and unique-local targets — by address or by a host name resolving to one
// — unless TEND_HTTP_ALLOW permits them. A refusal is final (no retry), recorded on the
// message with its reason, and sends the contact by the node's error port.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

let strict: Tend; // no allow-list at all
let allowing: Tend; // allows the receiver's address and port only
let receiver: Receiver;
let port: string;
beforeAll(async () => {
  receiver = await startReceiver();
  port = new URL(receiver.url).port;
  const sms = { TEND_SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: 'AC123', TWILIO_AUTH_TOKEN: 'secret', TWILIO_FROM: '+15550001111', TWILIO_API_URL: receiver.url };
  [strict, allowing] = await Promise.all([
    startTend({ env: { ...sms, TEND_HTTP_ALLOW: '' } }),
    startTend({ env: { ...sms, TEND_HTTP_ALLOW: `127.0.0.1:${port}` } }),
  ]);
});
afterAll(async () => {
  await strict?.stop();
  await allowing?.stop();
  await receiver?.close();
});

/** A webhook to http://<event.properties.target>/hook; `synced` says which port the contact left by. */
async function webhookProgram(tend: Tend) {
  return tend.publish({
    format: 'tend.flow/v1',
    name: 'ssrf webhook',
    nodes: [
      { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'sync' } },
      { id: 'call', type: 'tend.action.webhook', version: 1, config: { method: 'POST', url: 'http://{{event.properties.target}}/hook', body: '{"email": {{json contact.email}} }', retryDelaySeconds: 0.1, maxAttempts: 5 } },
      { id: 'ok', type: 'tend.action.update-contact', version: 1, config: { operations: [{ op: 'set', field: 'synced', value: 'yes' }] } },
      { id: 'failed', type: 'tend.action.update-contact', version: 1, config: { operations: [{ op: 'set', field: 'synced', value: 'no' }] } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'call' },
      { id: 'e2', source: 'call', sourcePort: 'next', target: 'ok' },
      { id: 'e3', source: 'call', sourcePort: 'error', target: 'failed' },
    ],
  });
}

async function call(tend: Tend, email: string, target: string) {
  await tend.event({ type: 'sync', email, properties: { target } });
  const contact = await tend.until(async () => {
    const c = (await tend.api('GET', `/api/contacts?email=${encodeURIComponent(email)}`)).body.contacts[0];
    return c?.attributes.synced ? c : undefined;
  }, `${email} to leave the webhook`);
  const [message] = await tend.sql("SELECT status, reason, attempts, recipient FROM messages WHERE contact_id = $1 AND channel = 'webhook'", [contact.id]);
  const [visit] = await tend.sql("SELECT port, error FROM node_visits WHERE node_id = 'call' AND enrollment_id IN (SELECT id FROM enrollments WHERE contact_id = $1)", [contact.id]);
  return { synced: contact.attributes.synced as string, message, visit };
}

test('without an allow-list, loopback, private, link-local and IPv6 loopback targets are refused with the reason, never called, never retried', async () => {
  await webhookProgram(strict);
  receiver.requests.length = 0;
  const cases: [string, string, RegExp][] = [
    ['loopback@example.com', `127.0.0.1:${port}`, /refused: 127\.0\.0\.1 is loopback/],
    ['private@example.com', '10.1.2.3', /refused: 10\.1\.2\.3 is private/],
    ['metadata@example.com', '169.254.169.254/latest/meta-data', /refused: 169\.254\.169\.254 is link-local/],
    ['v6@example.com', `[::1]:${port}`, /refused: ::1 is loopback/],
    ['mapped@example.com', `[::ffff:127.0.0.1]:${port}`, /refused: ::ffff:7f00:1 is IPv4-mapped 127\.0\.0\.1: loopback/],
    ['ula@example.com', '[fd00::1]', /refused: fd00::1 is unique-local/],
    ['localhost@example.com', `localhost:${port}`, /refused: localhost \((127\.0\.0\.1|::1)\) is loopback/],
    ['decimal@example.com', `2130706433:${port}`, /refused: 127\.0\.0\.1 is loopback/],
  ];
  for (const [email, target, reason] of cases) {
    const { synced, message, visit } = await call(strict, email, target);
    expect(synced, target).toBe('no');
    expect(message, target).toMatchObject({ status: 'failed', attempts: 1 });
    expect(message.reason, target).toMatch(reason);
    expect(visit, target).toMatchObject({ port: 'error' });
    expect(visit.error, target).toMatch(reason);
  }
  expect(receiver.requests).toHaveLength(0);
});

test('a CRM task to a private address is refused: the run fails with the reason', async () => {
  const id = await strict.publish({
    format: 'tend.flow/v1',
    name: 'ssrf crm',
    nodes: [
      { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'mql' } },
      { id: 'task', type: 'tend.action.notify-owner', version: 1, config: { channel: 'webhook', url: `http://127.0.0.1:${port}/tasks`, owners: ['sam@example.com'], subject: 'Call {{contact.email}}' } },
    ],
    edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'task' }],
  });
  receiver.requests.length = 0;
  await strict.event({ type: 'mql', email: 'lead@example.com' });
  const [run] = await strict.until(async () => {
    const rows = await strict.sql("SELECT status, exit_reason AS reason FROM enrollments WHERE program_id = $1 AND status <> 'active'", [id]);
    return rows.length ? rows : undefined;
  }, 'the CRM run to end');
  expect(run.status).toBe('failed');
  expect(run.reason).toMatch(/refused: 127\.0\.0\.1 is loopback/);
  const [message] = await strict.sql("SELECT status, reason FROM messages WHERE program_id = $1 AND channel = 'webhook'", [id]);
  expect(message).toMatchObject({ status: 'failed', reason: expect.stringMatching(/refused: 127\.0\.0\.1 is loopback/) });
  expect(receiver.requests).toHaveLength(0);
});

test('an SMS provider URL on loopback is refused: the message fails with the reason', async () => {
  await strict.publish({
    format: 'tend.flow/v1',
    name: 'ssrf sms',
    nodes: [
      { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'text_me' } },
      { id: 'sms', type: 'tend.action.sms', version: 1, config: { body: 'Hello' } },
    ],
    edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'sms' }],
  });
  receiver.requests.length = 0;
  await strict.api('PUT', '/api/contacts', { email: 'texter@example.com', phone: '+15551234567', consent: { sms: true } });
  await strict.event({ type: 'text_me', email: 'texter@example.com' });
  const [message] = await strict.until(async () => {
    const rows = await strict.sql("SELECT status, reason FROM messages WHERE channel = 'sms' AND status <> 'sending'");
    return rows.length ? rows : undefined;
  }, 'the SMS to be decided');
  expect(message).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^SMS provider refused: 127\.0\.0\.1 is loopback/) });
  expect(receiver.requests).toHaveLength(0);
});

test('TEND_HTTP_ALLOW lets the listed address and port through, and nothing else', async () => {
  await webhookProgram(allowing);
  receiver.requests.length = 0;
  const allowed = await call(allowing, 'allowed@example.com', `127.0.0.1:${port}`);
  expect(allowed.synced).toBe('yes');
  expect(allowed.message).toMatchObject({ status: 'sent', reason: null });
  expect(receiver.requests).toHaveLength(1);
  expect(receiver.requests[0]!.json).toEqual({ email: 'allowed@example.com' });

  const otherPort = await call(allowing, 'other-port@example.com', `127.0.0.1:${Number(port) === 1 ? 2 : 1}`);
  expect(otherPort.message.reason).toMatch(/refused: 127\.0\.0\.1 is loopback/);
  const metadata = await call(allowing, 'metadata2@example.com', '169.254.169.254');
  expect(metadata.message.reason).toMatch(/link-local/);
  expect(receiver.requests).toHaveLength(1);
});
