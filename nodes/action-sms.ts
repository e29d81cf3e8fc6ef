// tend.action.sms: a text message to the contact's phone through the configured
// provider. Consent (opt-in by default for SMS), caps and quiet hours are the engine's job.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.action.sms',
  version: 1,
  category: 'action',
  title: 'Send SMS',
  description: 'Sends a text message rendered from a Handlebars template to the contact’s phone.',
  summary: '“{{body}}”',
  configSchema: Type.Object(
    {
      body: Type.String({ minLength: 1, maxLength: 1600, format: 'template', title: 'Message' }),
      marketing: Type.Optional(Type.Boolean({ title: 'Marketing message', description: 'Marketing texts need SMS consent and honour caps and quiet hours', default: true })),
      whenCapped: Type.Optional(Type.Union([Type.Literal('skip'), Type.Literal('defer'), Type.Literal('send')], {
        title: 'When over the frequency cap',
        description: 'skip: do not send (recorded); defer: send once the cap allows; send: send anyway',
        default: 'skip',
      })),
    },
    { additionalProperties: false },
  ),
  ports: [{ name: 'next', label: 'Next' }],
  run: async (ctx) => {
    const { body, marketing = true, whenCapped = 'skip' } = ctx.config;
    const result = await ctx.effects.sendSms({ body: ctx.render(body, {}, { escape: false }), marketing, whenCapped });
    if (result.status === 'deferred') return directive.again(new Date(result.until), result.reason);
    if (result.status !== 'sent') ctx.log.info(`sms ${result.status}`, { reason: result.reason });
    return directive.next();
  },
});
