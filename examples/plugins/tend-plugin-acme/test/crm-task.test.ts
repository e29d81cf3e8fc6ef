// The CRM task node, run by Tend's plugin harness: no server, no database, no CRM.
import { expect, test } from 'vitest';
import { runPlugin, PluginConfigError } from 'tend/testing';
import crmTask from '../src/crm-task.js';

const secrets = { ACME_CRM_URL: 'https://crm.acme.test/api/', ACME_CRM_TOKEN: 't0ken' };
const contact = { email: 'ada@example.com', score: 42, attributes: { owner: 'sam@acme.test' } };
const created = () => ({ status: 201, headers: {}, body: '{"id":"T-100"}' });

test('creates the task with the rendered title, due date and owner, once per visit, and keeps its id', async () => {
  const { directive, effects, contact: after, idempotencyKey } = await runPlugin(crmTask, {
    config: { title: 'Call {{contact.email}} about {{event.properties.plan}}', priority: 'high', dueInDays: 3 },
    contact,
    event: { type: 'trial_ending', properties: { plan: 'Pro & more' } },
    now: '2030-05-01T10:00:00Z',
    secrets,
    http: created,
  });
  expect(directive).toEqual({ kind: 'next', port: 'next' });
  expect(effects.http).toHaveLength(1);
  const { request } = effects.http[0]!;
  expect(request.url).toBe('https://crm.acme.test/api/tasks');
  expect(request.headers).toMatchObject({ authorization: 'Bearer t0ken', 'idempotency-key': idempotencyKey });
  expect(JSON.parse(request.body!)).toMatchObject({ title: 'Call ada@example.com about Pro & more', priority: 'high', due: '2030-05-04', assignee: 'sam@acme.test', contact: { score: 42 } });
  expect(after.attributes.acme_task_id).toBe('T-100');
});

test('a refusal leaves by error; an overloaded CRM is retried later', async () => {
  const config = { title: 'Call', priority: 'normal', dueInDays: 1 };
  const refused = await runPlugin(crmTask, { config, contact, secrets, http: () => ({ status: 422, headers: {}, body: '{"error":"no such user"}' }) });
  expect(refused.directive).toEqual({ kind: 'next', port: 'error' });
  expect(refused.logs[0]).toMatchObject({ level: 'warn', fields: { status: 422 } });
  await expect(runPlugin(crmTask, { config, contact, secrets, attempt: 2, http: () => ({ status: 503, headers: {}, body: '' }) })).rejects.toMatchObject({ name: 'RetryAfterError', delayMs: 4000 });
  await expect(runPlugin(crmTask, { config, contact, http: created })).rejects.toThrow('set TEND_SECRET_ACME_CRM_URL');
});

test('a version 1 config (subject, urgent) is migrated to version 2', async () => {
  const { effects } = await runPlugin(crmTask, { config: { subject: 'Old style {{contact.email}}', urgent: true }, configVersion: 1, contact, secrets, http: created });
  expect(JSON.parse(effects.http[0]!.request.body!)).toMatchObject({ title: 'Old style ada@example.com', priority: 'high' });
});

test('a bad config names the field', async () => {
  const err = await runPlugin(crmTask, { config: { title: '', priority: 'urgent', dueInDays: 2 }, secrets, http: created }).catch((e) => e);
  expect(err).toBeInstanceOf(PluginConfigError);
  expect([...new Set(err.problems.map((p: { path: string }) => p.path))].sort()).toEqual(['/priority', '/title']);
});
