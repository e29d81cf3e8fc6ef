// Each kind of Ajv error as the sentence a marketer reads: the field named by its form's
// label, no JSON Schema words; template problems in the same answer as the form's others.
import { beforeAll, expect, test } from 'vitest';
import { createRegistry, type Registry } from '../plugin/registry.js';
import { fieldTitle, sentence } from './problem-words.js';

let registry: Registry;
beforeAll(async () => { registry = await createRegistry(); });
const check = (type: string, config: unknown) => registry.checkConfig(registry.get(type)!, config);
const AJV_WORDS = /must have required property|must match|must be >=|must be <=|must be string|must be integer|must NOT have|anyOf|oneOf|additional properties/;

test('a missing, empty or too long field', () => {
  expect(check('tend.action.email', { html: '<p>Hi</p>' })).toEqual([{ path: '/subject', message: 'Subject is required.' }]);
  expect(check('tend.action.email', { subject: '', html: '<p>Hi</p>' })).toEqual([{ path: '/subject', message: 'Subject cannot be empty.' }]);
  expect(check('tend.action.email', { subject: 'x'.repeat(501), html: '<p>Hi</p>' })).toEqual([{ path: '/subject', message: 'Subject must be at most 500 characters long.' }]);
});

test('a value of the wrong type or out of range', () => {
  expect(check('tend.action.score', { delta: 1.5, reason: 'x' })).toEqual([{ path: '/delta', message: 'Points must be a whole number.' }]);
  expect(check('tend.action.score', { delta: 'ten', reason: 'x' })).toEqual([{ path: '/delta', message: 'Points must be a whole number.' }]);
  expect(check('tend.action.score', { delta: 1e9, reason: 'x' })).toEqual([{ path: '/delta', message: 'Points must be at most 100000.' }]);
});

test('a pattern, said as what it asks for', () => {
  expect(check('tend.wait.duration', { duration: 'soon' })).toEqual([{ path: '/duration', message: 'Duration must be a duration like "3 days".' }]);
  expect(check('tend.action.email', { subject: 'a', html: 'b', layout: 'Big One' })).toEqual([{ path: '/layout', message: 'Layout may hold only lower-case letters, digits and dashes, at most 40 characters.' }]);
});

test('a format, a choice, an unknown key, a field inside a list', () => {
  expect(check('tend.action.email', { subject: 'a', html: 'b', replyTo: 'nope' })).toEqual([{ path: '/replyTo', message: 'Reply-to must be an email address.' }]);
  expect(check('tend.action.email', { subject: 'a', html: 'b', whenCapped: 'later' })).toEqual([{ path: '/whenCapped', message: 'When over the frequency cap must be one of "skip", "defer" or "send".' }]);
  expect(check('tend.action.email', { subject: 'a', html: 'b', colour: 'red' })).toEqual([{ path: '/colour', message: '“colour” is not a setting of this step: remove it.' }]);
  expect(check('tend.action.email', { subject: 'a', html: 'b', connected: [{ name: 'n', url: '' }] })).toEqual([{ path: '/connected/0/url', message: 'URL (Connected content 1) cannot be empty.' }]);
});

test('a union of kinds: the kind each list item carries is the one checked', () => {
  expect(check('tend.action.update-contact', { operations: [{ op: 'addTag', tag: '' }, { op: 'increment', field: 'score', by: 'x' }, { op: 'explode' }] })).toEqual([
    { path: '/operations/0/tag', message: 'Tag (Changes 1) cannot be empty.' },
    { path: '/operations/1/by', message: 'By (Changes 2) must be a number.' },
    { path: '/operations/2', message: 'Changes 3 is none of its kinds (Set, Unset, Increment, Add tag, Remove tag, Set consent): choose one and fill it in.' },
  ]);
});

test('a template that does not read comes with the form\'s other problems, in words', () => {
  expect(check('tend.action.email', { html: '<p>{{#if contact.email}}Hi</p>' })).toEqual([
    { path: '/subject', message: 'Subject is required.' },
    { path: '/html', message: 'HTML body: a block opened with {{#…}} is never closed: add its {{/…}} (line 1).' },
  ]);
  expect(check('tend.action.sms', { body: 'Hi {{contact.email' })[0]).toMatchObject({ path: '/body', message: expect.stringMatching(/^Message: a \{\{ is not closed with \}\} \(line 1\)\.$/) });
});

test('no message of any built-in node\'s broken config is in Ajv\'s words', () => {
  for (const plugin of registry.list()) {
    for (const config of [{}, { bogus: 1 }, Object.fromEntries(Object.keys((plugin.configSchema as { properties?: object }).properties ?? {}).map((k) => [k, 12345.5]))]) {
      for (const p of registry.checkConfig(plugin, config)) expect(p.message, `${plugin.id} ${p.path}`).not.toMatch(AJV_WORDS);
    }
  }
});

test('field titles follow lists and fall back to the key in words', () => {
  const schema = { properties: { connected: { title: 'Connected content', items: { properties: { url: { title: 'URL' } } } }, reentryAfter: {} } };
  expect(fieldTitle(schema, '/connected/1/url')).toBe('URL (Connected content 2)');
  expect(fieldTitle(schema, '/reentryAfter')).toBe('Reentry after');
  expect(sentence('a change of 0 points does nothing')).toBe('A change of 0 points does nothing.');
});
