// tend.action.update-contact: sets, unsets or increments contact fields and adds or
// removes tags and sets consent. Fields are attributes unless they name a column
// (email, phone, timezone).
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, type ContactOperation, ATTRIBUTE_NAME_PATTERN } from '../engine/plugin/index.js';

const Field = Type.String({ pattern: ATTRIBUTE_NAME_PATTERN, title: 'Field', description: 'An attribute name, or email, phone, timezone', 'x-tend-suggest': 'attribute' });

export default definePlugin({
  id: 'tend.action.update-contact',
  version: 1,
  quick: true,
  category: 'action',
  title: 'Update contact',
  description: 'Changes contact fields and tags.',
  summary: 'Update {{operations}}',
  configSchema: Type.Object(
    {
      operations: Type.Array(
        Type.Union([
          Type.Object({ op: Type.Literal('set'), field: Field, value: Type.Unknown() }, { additionalProperties: false }),
          Type.Object({ op: Type.Literal('unset'), field: Field }, { additionalProperties: false }),
          Type.Object({ op: Type.Literal('increment'), field: Field, by: Type.Number() }, { additionalProperties: false }),
          Type.Object({ op: Type.Literal('addTag'), tag: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
          Type.Object({ op: Type.Literal('removeTag'), tag: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
          Type.Object({ op: Type.Literal('setConsent'), channel: Type.String({ pattern: '^[a-z_]{1,32}$', title: 'Channel', description: 'email, sms or do_not_contact' }), value: Type.Boolean({ title: 'Consent' }) }, { additionalProperties: false }),
        ]),
        { minItems: 1, maxItems: 50, title: 'Changes' },
      ),
    },
    { additionalProperties: false },
  ),
  ports: [{ name: 'next', label: 'Next' }],
  run: async (ctx) => {
    // Values and tags may be templates ("{{event.properties.plan}}"); other types pass through.
    const text = (v: string) => (v.includes('{{') ? ctx.render(v, {}, { escape: false }) : v);
    const ops = ctx.config.operations.map((o) => {
      if (o.op === 'set' && typeof o.value === 'string') return { ...o, value: text(o.value) };
      if (o.op === 'addTag' || o.op === 'removeTag') return { ...o, tag: text(o.tag) };
      return o;
    }) as ContactOperation[];
    await ctx.effects.updateContact(ops);
    return directive.next();
  },
});
