// A plugin from a folder outside nodes/, named in TEND_PLUGINS, is in the catalogue
// with its schema and ports, validates like a built-in node, and runs in a program.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

let tend: Tend;
let chat: Receiver;
beforeAll(async () => {
  chat = await startReceiver();
  tend = await startTend({ plugins: ['./test/fixtures/plugins/chat-post.ts'], env: { TEND_SECRET_CHAT_WEBHOOK_URL: `${chat.url}/hooks/abc` } });
});
afterAll(async () => {
  await tend?.stop();
  await chat?.close();
});

test('the plugin is in /api/node-types with its schema, ports and source', async () => {
  const { body } = await tend.api('GET', '/api/node-types');
  const chatNode = body.nodeTypes.find((t: { id: string }) => t.id === 'acme.chat.post');
  expect(chatNode).toMatchObject({
    id: 'acme.chat.post',
    version: 1,
    category: 'action',
    title: 'Post to team chat',
    ports: [{ name: 'next', label: 'Posted' }, { name: 'error', label: 'Refused' }],
  });
  expect(chatNode.configSchema.properties.channel.pattern).toBe('^#[a-z0-9-]{1,40}$');
  expect(body.nodeTypes.some((t: { id: string }) => t.id === 'tend.action.email')).toBe(true);
});

const program = (config: Record<string, unknown>) => ({
  format: 'tend.flow/v1',
  name: 'Tell sales',
  nodes: [
    { id: 'demo', type: 'tend.trigger.event', version: 1, config: { eventType: 'demo_requested' } },
    { id: 'post', type: 'acme.chat.post', version: 1, config },
  ],
  edges: [{ id: 'e1', source: 'demo', sourcePort: 'next', target: 'post' }],
});

test('its config is validated against its own schema, with paths', async () => {
  const res = await tend.api('POST', '/api/flows/validate', program({ channel: 'sales', text: '' }));
  expect(res.body.problems.map((p: { path: string }) => p.path).sort()).toEqual(['/nodes/1/config/channel', '/nodes/1/config/text']);
});

test('it runs in a published program and reaches the outside world once', async () => {
  const id = await tend.publish(program({ channel: '#sales', text: '{{contact.email}} asked for a demo of {{event.properties.product}}' }));
  await tend.event({ type: 'demo_requested', email: 'lin@example.com', properties: { product: 'Tend "Pro"' } });
  const [req] = await chat.waitFor(1);
  expect(req!.path).toBe('/hooks/abc');
  expect(req!.json).toEqual({ channel: '#sales', text: 'lin@example.com asked for a demo of Tend "Pro"' });
  await tend.until(async () => (await tend.api('GET', `/api/flows/${id}/stats`)).body.enrollments.completed === 1, 'the run to end');
  expect(chat.requests).toHaveLength(1);
});
