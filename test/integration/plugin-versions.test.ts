// Plugin versions across a restart. Tend runs one version of a plugin's code — the one
// installed. A program version keeps each node's config as it was saved, with the plugin
// version it was written for; that document is never rewritten. So after an upgrade:
// documents saved with the old version still load, migrate and validate; a contact
// already inside stays on the program version it entered with (its path, node ids and
// settings), and each of its nodes runs the installed code with its saved config
// migrated in memory; republishing stores the migrated config for new contacts.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { readConfig } from '../../engine/ops/config.js';
import { openServices, startServer, startWorker, type Services } from '../../server/runtime.js';

const V1 = './test/fixtures/plugin-versions/greet-v1.ts';
const V2 = './test/fixtures/plugin-versions/greet-v2.ts';
let receiver: Receiver;
let first: Tend | undefined;
let second: { url: string; services: Services; stop(): Promise<void> } | undefined;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await first?.stop();
  await second?.stop();
  await receiver?.close();
});

const program = {
  format: 'tend.flow/v1',
  name: 'Greet when ready',
  nodes: [
    { id: 'joined', type: 'tend.trigger.event', version: 1, config: { eventType: 'joined' } },
    { id: 'ready', type: 'tend.wait.event', version: 1, config: { eventType: 'ready', timeout: '1 hour' } },
    { id: 'greet', type: 'test.greet', version: 1, config: { text: 'Hello {{contact.email}}' } },
  ],
  edges: [
    { id: 'e1', source: 'joined', sourcePort: 'next', target: 'ready' },
    { id: 'e2', source: 'ready', sourcePort: 'event', target: 'greet' },
  ],
};

/** The same Tend, started again on the same database and task queue with other plugins. */
async function restart(tend: Tend, plugins: string): Promise<{ url: string; services: Services; stop(): Promise<void> }> {
  const config = readConfig({
    DATABASE_URL: tend.databaseUrl, TEMPORAL_ADDRESS: tend.temporalAddress, TEND_TASK_QUEUE: tend.config.temporalTaskQueue,
    TEND_API_KEY: tend.apiKey, TEND_PLUGINS: plugins, PORT: '0', SMTP_URL: tend.mailbox.url, TEND_SECRET_GREET_URL: `${receiver.url}/greet`,
    TEND_HTTP_ALLOW: tend.config.httpAllow ?? '', // the receiver listens on loopback
  });
  const services = await openServices(config, tend.databaseUrl);
  const worker = await startWorker(config, services, tend.temporalAddress);
  const server = await startServer(config, services, tend.temporalAddress);
  return {
    url: `http://127.0.0.1:${server.port}`,
    services,
    stop: async () => { await server.stop(); await worker.stop(); await services.db.end(); },
  };
}

async function until<T>(fn: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function api(base: string, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json() as any };
}

test('a contact waiting since version 1 finishes on its program version after the plugin moves to version 2; old documents migrate and validate', async () => {
  first = await startTend({ plugins: [V1], env: { TEND_SECRET_GREET_URL: `${receiver.url}/greet` } });
  const key = first.apiKey;
  const id = await first.publish(program);
  await first.event({ type: 'joined', email: 'early@example.com' });
  await first.until(async () => (await first!.api('GET', `/api/flows/${id}/enrollments?node=ready`)).body.enrollments.length === 1, 'the contact to wait');
  const tend = first;
  await first.stop();
  first = undefined;

  second = await restart(tend, V2);
  const base = second.url;
  const types = (await api(base, key, 'GET', '/api/node-types')).body.nodeTypes;
  expect(types.find((t: { id: string }) => t.id === 'test.greet')).toMatchObject({ version: 2, title: 'Greet (v2)' });

  // Saved with version 1: loads, migrates and validates; the stored version is untouched.
  expect((await api(base, key, 'POST', '/api/flows/validate', program)).body).toEqual({ valid: true, problems: [] });
  const detail = (await api(base, key, 'GET', `/api/flows/${id}`)).body;
  expect(detail.problems).toEqual([]);
  const pinned = (await api(base, key, 'GET', `/api/flows/${id}/export?version=1`)).body;
  expect(pinned.nodes[2]).toMatchObject({ type: 'test.greet', version: 1, config: { text: 'Hello {{contact.email}}' } });
  const imported = (await api(base, key, 'POST', '/api/flows/import', program)).body;
  expect(imported.draft.nodes[2]).toMatchObject({ version: 2, config: { greeting: 'Hello {{contact.email}}', signature: 'the team' } });

  // The waiting contact moves on, on program version 1, its v1 config run by the v2 code.
  await api(base, key, 'POST', '/api/events', { type: 'ready', email: 'early@example.com' });
  const [greeted] = await receiver.waitFor(1);
  expect(greeted!.json).toEqual({ code: 2, text: 'Hello early@example.com — the team', programVersion: 1 });

  // Republished, the program stores the migrated config; a new contact runs on version 2.
  const draft = (await api(base, key, 'PUT', `/api/flows/${id}`, program)).body;
  expect(draft.draft.nodes[2].version).toBe(2);
  expect((await api(base, key, 'POST', `/api/flows/${id}/publish`)).body.version).toBe(2);
  await api(base, key, 'POST', '/api/events', { type: 'joined', email: 'late@example.com' });
  const late = await until(async () => {
    const rows = (await second!.services.db.query("SELECT e.version FROM enrollments e JOIN contacts c ON c.id = e.contact_id WHERE c.email = 'late@example.com'")).rows;
    return rows.length ? rows : undefined;
  }, 'the new contact to enter');
  expect(late).toEqual([{ version: 2 }]);
  await api(base, key, 'POST', '/api/events', { type: 'ready', email: 'late@example.com' });
  const [, second2] = await receiver.waitFor(2);
  expect(second2!.json).toEqual({ code: 2, text: 'Hello late@example.com — the team', programVersion: 2 });
  const ended = await until(async () => {
    const { rows } = await second!.services.db.query('SELECT c.email, e.version, e.status FROM enrollments e JOIN contacts c ON c.id = e.contact_id ORDER BY c.email');
    return rows.every((r) => r.status !== 'active') ? rows : undefined;
  }, 'both runs to end');
  expect(ended).toEqual([{ email: 'early@example.com', version: 1, status: 'completed' }, { email: 'late@example.com', version: 2, status: 'completed' }]);
});

test('without a migration from the saved version the node is reported, not guessed', async () => {
  const tend = await startTend({ plugins: [V2] });
  try {
    const res = await tend.api('POST', '/api/flows/validate', { ...program, nodes: program.nodes.map((n) => (n.id === 'greet' ? { ...n, version: 3 } : n)) });
    expect(res.body.problems).toEqual([{ path: '/nodes/2/version', message: 'node type "test.greet" has no version 3 (the installed version is 2)' }]);
  } finally {
    await tend.stop();
  }
});
