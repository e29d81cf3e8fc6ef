// Every built-in action node through the plugin harness: the effects it records (emails
// rendered, texts, HTTP calls, contact changes, score, sequence draws, events), their
// idempotency keys, and each way it can leave.
import { describe, expect, test } from 'vitest';
import { runPlugin, type HttpHandler } from '../../engine/testing/harness.js';
import { plugins } from '../../nodes/index.js';
import { RetryAfterError, type HttpRequest, type NodePlugin } from '../../engine/plugin/index.js';

const node = (id: string): NodePlugin => plugins.find((x) => x.id === id)!;
const ada = { email: 'ada@example.com', phone: '+4915100000', attributes: { first_name: 'Ada' } };
const answer = (status: number, body: unknown = {}): HttpHandler => () => ({ status, headers: {}, body: JSON.stringify(body) });

describe('tend.action.email', () => {
  const p = node('tend.action.email');
  const config = { subject: 'Ada & {{contact.attributes.first_name}}: {{event.properties.items.length}} item(s)', html: '<p>Hi {{contact.attributes.first_name}}, <b>{{event.properties.note}}</b></p><ul>{{#each event.properties.items}}<li>{{name}}</li>{{/each}}</ul>' };
  const event = { type: 'checkout_started', properties: { note: '<script>', items: [{ name: 'Scarf' }, { name: 'Hat' }] } };

  test('renders subject (not escaped), HTML (escaped, in the default layout) and a text part, sends once per visit key', async () => {
    const { directive, effects, idempotencyKey } = await runPlugin(p, { config, contact: ada, event });
    expect(directive).toEqual({ kind: 'next', port: 'next' });
    expect(effects.emails).toHaveLength(1);
    const mail = effects.emails[0]!;
    expect(mail).toMatchObject({ recipient: 'ada@example.com', subject: 'Ada & Ada: 2 item(s)', marketing: true, whenCapped: 'skip', result: { status: 'sent' } });
    expect(mail.key).toBe(`${idempotencyKey}#1:email`);
    expect(mail.html).toContain('<b>&lt;script&gt;</b>');
    expect(mail.html).toContain('<li>Scarf</li><li>Hat</li>');
    expect(mail.html).toMatch(/^<!doctype html>/);
    expect(mail.text).toBe('Hi Ada, <script>\nScarf\nHat');
  });

  test('layout plain, explicit text; a contact without an address is skipped, not failed', async () => {
    const plain = await runPlugin(p, { config: { ...config, layout: 'plain', text: 'Hello {{contact.email}}' }, contact: ada, event });
    expect(plain.effects.emails[0]!.html.startsWith('<p>Hi Ada')).toBe(true);
    expect(plain.effects.emails[0]!.text).toBe('Hello ada@example.com');
    const nobody = await runPlugin(p, { config, event });
    expect(nobody.directive).toEqual({ kind: 'next', port: 'next' });
    expect(nobody.effects.emails[0]!.result).toEqual({ status: 'skipped', reason: 'no email address' });
    expect(nobody.logs).toEqual([{ level: 'info', message: 'email skipped', fields: { reason: 'no email address' } }]);
  });

  test('an unsubscribed contact gets no marketing mail but does get a transactional one; a deferral runs the node again', async () => {
    const out = await runPlugin(p, { config, contact: { ...ada, unsubscribed: true }, event });
    expect(out.effects.emails[0]!.result).toEqual({ status: 'skipped', reason: 'unsubscribed' });
    const receipt = await runPlugin(p, { config: { ...config, marketing: false }, contact: { ...ada, unsubscribed: true }, event });
    expect(receipt.effects.emails[0]!.result.status).toBe('sent');
    const deferred = await runPlugin(p, { config, contact: ada, event, send: () => ({ status: 'deferred', until: '2030-01-01T08:00:00.000Z', reason: 'quiet hours' }) });
    expect(deferred.directive).toEqual({ kind: 'again', until: '2030-01-01T08:00:00.000Z', reason: 'quiet hours' });
  });
});

describe('tend.action.sms', () => {
  const p = node('tend.action.sms');
  test('SMS is opt-in: sent with consent, skipped without, both go on', async () => {
    const yes = await runPlugin(p, { config: { body: 'Hi {{contact.attributes.first_name}} & co' }, contact: { ...ada, consent: { sms: true } } });
    expect(yes.effects.sms).toEqual([expect.objectContaining({ body: 'Hi Ada & co', recipient: '+4915100000', result: expect.objectContaining({ status: 'sent' }) })]);
    const no = await runPlugin(p, { config: { body: 'Hi' }, contact: ada });
    expect(no.directive).toEqual({ kind: 'next', port: 'next' });
    expect(no.effects.sms[0]!.result).toEqual({ status: 'skipped', reason: 'no sms opt-in' });
  });
});

describe('tend.action.webhook', () => {
  const p = node('tend.action.webhook');
  const config = { method: 'POST', url: 'https://crm.example/{{contact.attributes.first_name}}', body: '{"email": "{{contact.email}}"}', responseMapping: [{ from: 'body.customer.id', to: 'crm_id' }] };

  test('posts the rendered body with an idempotency key and maps the response onto the contact', async () => {
    const seen: HttpRequest[] = [];
    const { directive, effects, contact, idempotencyKey } = await runPlugin(p, { config, contact: ada, http: (req) => { seen.push(req); return { status: 201, headers: {}, body: '{"customer":{"id":"C-9"}}' }; } });
    expect(directive).toEqual({ kind: 'next', port: 'next' });
    expect(seen).toEqual([{ method: 'POST', url: 'https://crm.example/Ada', headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey }, body: '{"email": "ada@example.com"}' }]);
    expect(effects.contactUpdates).toEqual([{ key: `${idempotencyKey}#1:contact`, operations: [{ op: 'set', field: 'crm_id', value: 'C-9' }] }]);
    expect(contact.attributes.crm_id).toBe('C-9');
  });

  test('5xx and network errors are retried with backoff until the last attempt, which leaves by error; 4xx leaves by error at once', async () => {
    await expect(runPlugin(p, { config, contact: ada, http: answer(503) })).rejects.toBeInstanceOf(RetryAfterError);
    await expect(runPlugin(p, { config, contact: ada, http: () => { throw new Error('ECONNREFUSED'); } })).rejects.toMatchObject({ delayMs: 5000 });
    await expect(runPlugin(p, { config, contact: ada, attempt: 3, http: answer(503) })).rejects.toMatchObject({ delayMs: 20000 });
    expect((await runPlugin(p, { config, contact: ada, attempt: 5, http: answer(503) })).directive).toEqual({ kind: 'next', port: 'error' });
    expect((await runPlugin(p, { config, contact: ada, http: answer(404) })).directive).toEqual({ kind: 'next', port: 'error' });
  });

  test('a body that does not render to JSON leaves by error without calling', async () => {
    const out = await runPlugin(p, { config: { ...config, body: '{"n": {{contact.attributes.first_name}} }' }, contact: ada, http: answer(200) });
    expect(out.directive).toEqual({ kind: 'next', port: 'error' });
    expect(out.effects.http).toEqual([]);
  });
});

describe('tend.action.notify-owner', () => {
  const p = node('tend.action.notify-owner');
  test('assigns an owner round-robin from the shared sequence and emails them (transactional)', async () => {
    const out = await runPlugin(p, { config: { owners: ['a@corp.example', 'b@corp.example'], subject: 'Lead {{contact.email}} for {{owner}}' }, contact: ada, sequences: { 'owner-rotation:00000000-0000-4000-8000-0000000000a1:node': 1 } });
    expect(out.directive).toEqual({ kind: 'next', port: 'next' });
    expect(out.effects.sequences).toEqual([expect.objectContaining({ value: 2 })]);
    expect(out.contact.attributes.owner).toBe('b@corp.example');
    expect(out.effects.emails[0]).toMatchObject({ recipient: 'b@corp.example', subject: 'Lead ada@example.com for b@corp.example', marketing: false });
  });
  test('an existing owner gets a CRM task by webhook; no owner and no list leaves by no_owner', async () => {
    const out = await runPlugin(p, { config: { channel: 'webhook', url: 'https://crm.example/tasks', subject: 'Call {{contact.email}}' }, contact: { ...ada, attributes: { owner: 'c@corp.example' } }, http: answer(200) });
    expect(JSON.parse(out.effects.http[0]!.request.body!)).toMatchObject({ type: 'task', title: 'Call ada@example.com', owner: 'c@corp.example', contact: { email: 'ada@example.com' } });
    expect((await runPlugin(p, { config: { subject: 'x' }, contact: ada })).directive).toEqual({ kind: 'next', port: 'no_owner' });
  });
});

describe('contact, score and stage', () => {
  test('tend.action.update-contact applies set / increment / tags / consent, rendering templates', async () => {
    const p = node('tend.action.update-contact');
    const operations = [
      { op: 'set', field: 'plan', value: '{{event.properties.plan}}' },
      { op: 'increment', field: 'orders', by: 1 },
      { op: 'addTag', tag: 'buyer-{{event.properties.plan}}' },
      { op: 'removeTag', tag: 'lead' },
      { op: 'setConsent', channel: 'sms', value: false },
      { op: 'set', field: 'email', value: ' NEW@Example.com ' },
    ];
    const out = await runPlugin(p, { config: { operations }, contact: { ...ada, tags: ['lead'], attributes: { orders: 2 } }, event: { properties: { plan: 'pro' } } });
    expect(out.effects.contactUpdates[0]!.operations[0]).toEqual({ op: 'set', field: 'plan', value: 'pro' });
    expect(out.contact).toMatchObject({ email: 'new@example.com', tags: ['buyer-pro'], consent: { sms: false }, attributes: { plan: 'pro', orders: 3 } });
  });
  test('tend.action.score adds or removes points with the reason', async () => {
    const out = await runPlugin(node('tend.action.score'), { config: { delta: -5, reason: 'went quiet' }, contact: { score: 12 } });
    expect(out.effects.scoreChanges).toEqual([expect.objectContaining({ delta: -5, reason: 'went quiet', score: 7 })]);
  });
  test('tend.action.set-stage records a real change only', async () => {
    const p = node('tend.action.set-stage');
    const moved = await runPlugin(p, { config: { stage: 'MQL' }, contact: { attributes: { stage: 'lead' } } });
    expect(moved.effects.events).toEqual([expect.objectContaining({ type: 'tend.stage_changed', properties: { from: 'lead', to: 'MQL' } })]);
    const same = await runPlugin(p, { config: { stage: 'MQL' }, contact: { attributes: { stage: 'MQL' } } });
    expect(same.effects).toMatchObject({ events: [], contactUpdates: [] });
  });
});

describe('between programs', () => {
  const other = '3f2b7c1e-8d4a-4e5b-9c6d-7a8b9c0d1e2f';
  test('tend.action.enroll-in and tend.action.remove-from put an addressed event on the timeline', async () => {
    const enroll = await runPlugin(node('tend.action.enroll-in'), { config: { programId: other }, program: { name: 'Survey' } });
    expect(enroll.effects.events).toEqual([expect.objectContaining({ type: 'tend.enroll_requested', properties: { programId: other, by: 'Survey' } })]);
    const remove = await runPlugin(node('tend.action.remove-from'), { config: { programId: other } });
    expect(remove.directive).toEqual({ kind: 'next', port: 'next' });
    expect(remove.effects.events[0]!.type).toBe('tend.exit_requested');
  });
});
