// tend.trigger.segment-entered: a contact enters when they join a segment (their data
// or events now meet its condition); optionally the run ends when they leave it again,
// wherever they are in the program ("while they are a big spender…").
import { Type } from '@sinclair/typebox';
import { definePlugin, directive } from '../engine/plugin/index.js';

/** A segment's key as /api/segments stores it. */
const SEGMENT_KEY = '^[a-z0-9][a-z0-9_-]{0,62}$';

export default definePlugin({
  id: 'tend.trigger.segment-entered',
  version: 1,
  quick: true,
  category: 'trigger',
  title: 'Segment entered',
  description: 'Starts the program when a contact joins a segment; can end the run when they leave it.',
  summary: 'Enters {{segment}}',
  configSchema: Type.Object(
    {
      segment: Type.String({ pattern: SEGMENT_KEY, title: 'Segment key', 'x-tend-suggest': 'segment' }),
      exitWhenLeft: Type.Optional(Type.Boolean({ title: 'End the run when the contact leaves the segment', default: false })),
    },
    { additionalProperties: false },
  ),
  ports: [{ name: 'next', label: 'Next' }],
  trigger: (config) => ({
    eventType: 'tend.segment_entered',
    where: { field: 'event.properties.segment', op: 'eq', value: config.segment },
    ...(config.exitWhenLeft
      ? { exitOn: { all: [{ field: 'event.type', op: 'eq', value: 'tend.segment_left' }, { field: 'event.properties.segment', op: 'eq', value: config.segment }] }, exitReason: `left segment ${config.segment}` }
      : {}),
  }),
  run: () => directive.next(),
});
