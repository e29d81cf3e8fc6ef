// tend.trigger.field-changed: a contact enters when one of their fields changes — an
// address, a plan, a tag list — optionally only from or to a given value. Every change
// (API, event patches, program nodes) is a `tend.contact_changed` event with from / to.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, type Condition } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.trigger.field-changed',
  version: 1,
  quick: true,
  category: 'trigger',
  title: 'Contact field changed',
  description: 'Starts the program when a contact field changes (e.g. the address after a move).',
  summary: 'When {{field}} changes',
  configSchema: Type.Object(
    {
      field: Type.String({
        pattern: '^(email|phone|timezone|tags|attributes\\.[A-Za-z_][A-Za-z0-9_]{0,63}|consent\\.[a-z_]{1,32})$',
        title: 'Field',
        description: 'email, phone, timezone, tags, attributes.<name> or consent.<channel>',
        default: 'attributes.city',
      }),
      from: Type.Optional(Type.Unknown({ title: 'Only from', description: 'The old value must be this' })),
      to: Type.Optional(Type.Unknown({ title: 'Only to', description: 'The new value must be this' })),
    },
    { additionalProperties: false },
  ),
  ports: [{ name: 'next', label: 'Next' }],
  trigger: (config) => {
    const at = `event.properties.changes.${config.field}`;
    const all: Condition[] = [{ field: at, op: 'exists' }];
    if (config.from !== undefined) all.push({ field: `${at}.from`, op: 'eq', value: config.from });
    if (config.to !== undefined) all.push({ field: `${at}.to`, op: 'eq', value: config.to });
    return { eventType: 'tend.contact_changed', where: { all } };
  },
  run: () => directive.next(),
});
