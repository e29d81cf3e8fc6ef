// tend.trigger.score-threshold: a contact enters when their score crosses a threshold
// upward — once per crossing: falling back and rising again is a new crossing.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.trigger.score-threshold',
  version: 1,
  quick: true,
  category: 'trigger',
  title: 'Score reaches',
  description: 'Starts the program when a contact’s lead score rises to the threshold or above.',
  summary: 'When score reaches {{threshold}}',
  configSchema: Type.Object(
    { threshold: Type.Integer({ minimum: -1000000, maximum: 1000000, title: 'Threshold', default: 50 }) },
    { additionalProperties: false },
  ),
  ports: [{ name: 'next', label: 'Next' }],
  trigger: (config) => ({
    eventType: 'tend.score_changed',
    where: { all: [
      { field: 'event.properties.previous', op: 'lt', value: config.threshold },
      { field: 'event.properties.score', op: 'gte', value: config.threshold },
    ] },
  }),
  run: () => directive.next(),
});
