// The harness itself: it refuses configs the registry would refuse (naming the field),
// migrates old configs first, and refuses directives to undeclared ports, as the worker does.
import { expect, test } from 'vitest';
import { Type } from '@sinclair/typebox';
import { runPlugin, PluginConfigError } from '../../engine/testing/harness.js';
import { definePlugin, directive } from '../../engine/plugin/index.js';

const greet = definePlugin({
  id: 'test.greet',
  version: 2,
  category: 'action',
  title: 'Greet',
  description: 'Says hello by email.',
  configSchema: Type.Object({ greeting: Type.String({ minLength: 1, format: 'template' }), times: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
  ports: [{ name: 'next', label: 'Next' }],
  // Version 1 called the field `text` and had no `times`.
  migrations: { 1: (c: { text: string }) => ({ greeting: c.text, times: 1 }) },
  run: async (ctx) => {
    for (let i = 0; i < ctx.config.times; i++) await ctx.effects.sendEmail({ subject: ctx.render(ctx.config.greeting), html: '<p>hi</p>', text: 'hi', marketing: false });
    return directive.next(ctx.config.times > 5 ? 'elsewhere' : 'next');
  },
});

test('a bad config is refused with every field named by its path', async () => {
  const err = await runPlugin(greet, { config: { greeting: '', times: 0, colour: 'red' } }).catch((e) => e);
  expect(err).toBeInstanceOf(PluginConfigError);
  expect(err.problems.map((p: { path: string }) => p.path).sort()).toEqual(['/colour', '/greeting', '/times']);
  expect(err.message).toMatch(/^invalid config for test\.greet: .*\/greeting Greeting cannot be empty\./);
  await expect(runPlugin(greet, { config: { greeting: 'Hi {{contact.email', times: 1 } })).rejects.toThrow(/\/greeting Greeting: a \{\{ is not closed with \}\}/);
});

test('an old config is migrated before it is validated and run; an unknown version is refused', async () => {
  const out = await runPlugin(greet, { config: { text: 'Hello {{contact.email}}' }, configVersion: 1, contact: { email: 'a@example.com' } });
  expect(out.effects.emails.map((e) => [e.subject, e.key])).toEqual([['Hello a@example.com', `${out.idempotencyKey}#1:email`]]);
  await expect(runPlugin(greet, { config: {}, configVersion: 3 })).rejects.toThrow(/no migration path from version 3 to 2/);
});

test('each effect of a visit gets its own key; a directive to an undeclared port is an error', async () => {
  const out = await runPlugin(greet, { config: { greeting: 'x', times: 3 }, node: { id: 'hello' }, visit: 2 });
  expect(out.effects.emails.map((e) => e.key)).toEqual([1, 2, 3].map((n) => `00000000-0000-4000-8000-0000000000e1:hello:2#${n}:email`));
  await expect(runPlugin(greet, { config: { greeting: 'x', times: 6 } })).rejects.toThrow('returned port "elsewhere", which it does not declare (it has next)');
});
