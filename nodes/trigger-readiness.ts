// tend.trigger.readiness: a lead enters when their predictive readiness (0–100, kept
// by the predictive lead score in a contact attribute) rises to a threshold — once per
// crossing, like the score threshold: falling back and rising again is a new one.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, ATTRIBUTE_NAME_PATTERN } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.trigger.readiness',
  version: 1,
  quick: true,
  category: 'trigger',
  title: 'Readiness reaches',
  description: 'Starts the program when a lead’s predicted readiness to buy rises to the threshold (%) or above.',
  summary: 'When readiness reaches {{threshold}}%',
  configSchema: Type.Object(
    {
      threshold: Type.Integer({ minimum: 1, maximum: 100, title: 'Threshold (%)', default: 75 }),
      field: Type.Optional(Type.String({ pattern: ATTRIBUTE_NAME_PATTERN, title: 'Attribute', default: 'readiness' })),
    },
    { additionalProperties: false },
  ),
  ports: [{ name: 'next', label: 'Next' }],
  trigger: (config) => {
    const at = `event.properties.changes.attributes.${config.field ?? 'readiness'}`;
    return {
      eventType: 'tend.contact_changed',
      where: { all: [
        { field: `${at}.to`, op: 'gte', value: config.threshold },
        { any: [{ field: `${at}.from`, op: 'lt', value: config.threshold }, { field: `${at}.from`, op: 'notExists' }] },
      ] },
    };
  },
  run: () => directive.next(),
});
