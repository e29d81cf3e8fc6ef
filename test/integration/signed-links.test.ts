// The signing secret rotates (`tend secrets rotate`): links in mail sent before a
// rotation keep working under the next secret, new links are signed with it, and after
// a second rotation the oldest links are refused.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { signingSecret, unsubscribeToken, verifyUnsubscribeToken } from '../../engine/delivery/signing.js';
import { verifyClick } from '../../engine/delivery/engagement.js';

let tend: Tend;
beforeAll(async () => {
  tend = await startTend();
});
afterAll(async () => {
  await tend?.stop();
});

const rotate = () => promisify(execFile)('npx', ['tsx', 'server/cli.ts', 'secrets', 'rotate'], { env: { ...process.env, DATABASE_URL: tend.databaseUrl }, timeout: 60_000 });

test('links survive one rotation, not two; new links use the new secret', async () => {
  await tend.publish({
    format: 'tend.flow/v1',
    name: 'News',
    nodes: [
      { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'subscribed' } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'News', html: '<p><a href="https://example.com/read">Read</a></p>' } },
    ],
    edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'mail' }],
  });
  await tend.event({ type: 'subscribed', email: 'reader@example.com' });
  const [mail] = await tend.mailbox.waitFor(1);
  const unsubscribe = /\/unsubscribe\/([^"\s>]+)/.exec(String(mail!.html))![1]!;
  const click = /\/c\/([^"\s>]+)/.exec(String(mail!.html))![1]!;
  const before = await signingSecret(tend.services.db);

  const { stderr } = await rotate();
  expect(stderr + '').not.toMatch(/Error/);
  const once = await signingSecret(tend.services.db);
  expect(once.split(' ')).toEqual([expect.any(String), before]);
  expect(verifyUnsubscribeToken(once, unsubscribe)).toBeDefined();
  expect(verifyClick(once, click)).toBeDefined();
  const contactId = verifyUnsubscribeToken(once, unsubscribe)!;
  expect(unsubscribeToken(once, contactId)).not.toBe(unsubscribe);

  await rotate();
  const twice = await signingSecret(tend.services.db);
  expect(verifyUnsubscribeToken(twice, unsubscribe)).toBeUndefined();
  expect(verifyClick(twice, click)).toBeUndefined();
  expect(verifyUnsubscribeToken(twice, unsubscribeToken(once, contactId))).toBe(contactId);
  // Nothing but the two secrets is kept.
  expect((await tend.sql("SELECT key FROM settings WHERE key LIKE 'signing_secret%' ORDER BY key")).map((r) => r.key)).toEqual(['signing_secret', 'signing_secret_previous']);
});
