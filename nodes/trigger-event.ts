// tend.trigger.event: a contact enters the program when an event of a type arrives,
// optionally only when its properties match, optionally one run per correlation key.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, Condition, conditionProblems } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.trigger.event',
  version: 1,
  quick: true,
  category: 'trigger',
  title: 'Event received',
  description: 'Starts the program when an event of this type arrives for a contact.',
  summary: 'On {{eventType}}',
  configSchema: Type.Object(
    {
      eventType: Type.String({ minLength: 1, maxLength: 200, title: 'Event type', description: 'e.g. checkout_started', 'x-tend-suggest': 'eventType' }),
      where: Type.Optional(Condition),
      correlationKey: Type.Optional(Type.String({ pattern: '^properties(\\.[A-Za-z0-9_$-]+)+$', title: 'Correlation key', description: 'Event property that separates runs, e.g. properties.cart_id' })),
    },
    { additionalProperties: false },
  ),
  ports: [{ name: 'next', label: 'Next' }],
  check: (config) => (config.where ? conditionProblems(config.where, '/where') : []),
  trigger: (config) => ({ eventType: config.eventType, where: config.where, correlationKey: config.correlationKey }),
  run: () => directive.next(),
});
