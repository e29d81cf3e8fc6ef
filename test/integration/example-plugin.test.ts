// The example third-party package (examples/plugins/tend-plugin-acme), loaded from
// configuration as an operator would (TEND_PLUGINS=<folder>), in the node catalogue the
// editor builds its palette from, and run in a published program against real HTTP
// receivers standing in for the CRM and the chat server.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

let tend: Tend;
let crm: Receiver;
let chat: Receiver;
beforeAll(async () => {
  [crm, chat] = await Promise.all([startReceiver(), startReceiver()]);
  crm.respond = (req) => (JSON.parse(req.body).priority === 'low' ? { status: 422, body: { error: 'low priority tasks are off' } } : { status: 201, body: { id: `T-${crm.requests.length}` } });
  tend = await startTend({
    plugins: ['./examples/plugins/tend-plugin-acme'],
    env: { TEND_SECRET_ACME_CRM_URL: `${crm.url}/api`, TEND_SECRET_ACME_CRM_TOKEN: 'secret-token', TEND_SECRET_ACME_CHAT_WEBHOOK: `${chat.url}/hooks/sales` },
  });
});
afterAll(async () => {
  await tend?.stop();
  await Promise.all([crm?.close(), chat?.close()]);
});

test('both nodes are in /api/node-types with their generated schema, ports and source', async () => {
  const { body } = await tend.api('GET', '/api/node-types');
  const task = body.nodeTypes.find((t: { id: string }) => t.id === 'acme.crm.task');
  const message = body.nodeTypes.find((t: { id: string }) => t.id === 'acme.chat.message');
  expect(task).toMatchObject({ version: 2, category: 'action', title: 'Create CRM task', source: './examples/plugins/tend-plugin-acme', ports: [{ name: 'next', label: 'Created' }, { name: 'error', label: 'Refused' }] });
  expect(task.configSchema.properties.priority.anyOf.map((b: { const: string }) => b.const)).toEqual(['low', 'normal', 'high']);
  expect(message).toMatchObject({ version: 1, title: 'Post to chat', configSchema: { properties: { channel: { pattern: '^#[a-z0-9_-]{1,80}$' } } } });
});

const program = (priority: string) => ({
  format: 'tend.flow/v1',
  name: `Trial ending (${priority})`,
  nodes: [
    { id: 'ending', type: 'tend.trigger.event', version: 1, config: { eventType: `trial_ending_${priority}` } },
    { id: 'task', type: 'acme.crm.task', version: 2, config: { title: 'Call {{contact.email}} before {{event.properties.ends}}', priority, dueInDays: 2 } },
    { id: 'tell', type: 'acme.chat.message', version: 1, config: { channel: '#sales', text: 'Task {{contact.attributes.acme_task_id}} for {{contact.email}}' } },
    { id: 'oops', type: 'acme.chat.message', version: 1, config: { channel: '#ops', text: 'CRM refused a task for {{contact.email}}' } },
  ],
  edges: [
    { id: 'e1', source: 'ending', sourcePort: 'next', target: 'task' },
    { id: 'e2', source: 'task', sourcePort: 'next', target: 'tell' },
    { id: 'e3', source: 'task', sourcePort: 'error', target: 'oops' },
  ],
});

test('a program with both nodes creates the task once, keeps its id on the contact and posts it to chat', async () => {
  const id = await tend.publish(program('high'));
  const { contactId } = await tend.event({ type: 'trial_ending_high', email: 'ada@example.com', properties: { ends: '2030-06-01' } });
  const [posted] = await chat.waitFor(1);
  expect(crm.requests).toHaveLength(1);
  expect(crm.requests[0]!.path).toBe('/api/tasks');
  expect(crm.requests[0]!.headers.authorization).toBe('Bearer secret-token');
  expect(crm.requests[0]!.json).toMatchObject({ title: 'Call ada@example.com before 2030-06-01', priority: 'high', source: { node: 'task' } });
  expect(posted!.json).toEqual({ channel: '#sales', text: 'Task T-1 for ada@example.com' });
  const contact = (await tend.api('GET', `/api/contacts/${contactId}`)).body;
  expect(contact.attributes.acme_task_id).toBe('T-1');
  await tend.until(async () => (await tend.api('GET', `/api/flows/${id}/stats`)).body.enrollments.completed === 1, 'the run to complete');
});

test('a task the CRM refuses takes the node’s error port', async () => {
  await tend.publish(program('low'));
  chat.requests.length = 0;
  await tend.event({ type: 'trial_ending_low', email: 'bo@example.com', properties: { ends: '2030-06-02' } });
  const [posted] = await chat.waitFor(1);
  expect(posted!.json).toEqual({ channel: '#ops', text: 'CRM refused a task for bo@example.com' });
});
