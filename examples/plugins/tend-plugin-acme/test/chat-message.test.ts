// The chat node, run by Tend's plugin harness.
import { expect, test } from 'vitest';
import { runPlugin } from 'tend/testing';
import chatMessage from '../src/chat-message.js';

const secrets = { ACME_CHAT_WEBHOOK: 'https://chat.acme.test/hooks/T1' };

test('posts the rendered text to the webhook with the visit’s idempotency key', async () => {
  const { directive, effects, idempotencyKey } = await runPlugin(chatMessage, {
    config: { channel: '#sales', text: '{{contact.email}} scored {{contact.score}} <3' },
    contact: { email: 'lin@example.com', score: 80 },
    secrets,
    http: () => ({ status: 200, headers: {}, body: 'ok' }),
  });
  expect(directive).toEqual({ kind: 'next', port: 'next' });
  expect(effects.http.map((h) => [h.request.url, h.request.headers?.['idempotency-key'], JSON.parse(h.request.body!)])).toEqual([
    ['https://chat.acme.test/hooks/T1', idempotencyKey, { channel: '#sales', text: 'lin@example.com scored 80 <3' }],
  ]);
});

test('a refused message is logged and the contact goes on; a failing chat server is retried', async () => {
  const config = { channel: '#sales', text: 'hi' };
  const refused = await runPlugin(chatMessage, { config, secrets, http: () => ({ status: 404, headers: {}, body: '' }) });
  expect(refused.directive).toEqual({ kind: 'next', port: 'next' });
  expect(refused.logs).toEqual([{ level: 'warn', message: 'chat webhook refused the message', fields: { status: 404 } }]);
  await expect(runPlugin(chatMessage, { config, secrets, http: () => ({ status: 502, headers: {}, body: '' }) })).rejects.toThrow('chat webhook answered 502');
});

test('a channel must look like #name', async () => {
  await expect(runPlugin(chatMessage, { config: { channel: 'sales', text: 'hi' }, secrets })).rejects.toThrow('/channel Channel is not in the expected form (for example "#sales")');
});
