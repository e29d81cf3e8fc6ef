// tend.trigger.stage-changed: a contact enters when their lifecycle stage changes,
// optionally only from or to a given stage.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, STAGE_PATTERN, type Condition } from '../engine/plugin/index.js';

const Stage = (title: string) => Type.Optional(Type.String({ pattern: STAGE_PATTERN, title, 'x-tend-suggest': 'stage' }));

export default definePlugin({
  id: 'tend.trigger.stage-changed',
  version: 1,
  quick: true,
  category: 'trigger',
  title: 'Stage changed',
  description: 'Starts the program when a contact moves to another lifecycle stage.',
  summary: 'Stage {{from}} → {{to}}',
  configSchema: Type.Object({ from: Stage('From stage'), to: Stage('To stage') }, { additionalProperties: false }),
  ports: [{ name: 'next', label: 'Next' }],
  trigger: (config) => {
    const all: Condition[] = [];
    if (config.from) all.push({ field: 'event.properties.from', op: 'eq', value: config.from });
    if (config.to) all.push({ field: 'event.properties.to', op: 'eq', value: config.to });
    return { eventType: 'tend.stage_changed', where: all.length ? { all } : undefined };
  },
  run: () => directive.next(),
});
