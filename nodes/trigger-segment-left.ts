// tend.trigger.segment-left: a contact enters when they leave a segment ("no longer
// an active buyer" → win-back).
import { Type } from '@sinclair/typebox';
import { definePlugin, directive } from '../engine/plugin/index.js';

/** A segment's key as /api/segments stores it. */
const SEGMENT_KEY = '^[a-z0-9][a-z0-9_-]{0,62}$';

export default definePlugin({
  id: 'tend.trigger.segment-left',
  version: 1,
  quick: true,
  category: 'trigger',
  title: 'Segment left',
  description: 'Starts the program when a contact leaves a segment.',
  summary: 'Leaves {{segment}}',
  configSchema: Type.Object({ segment: Type.String({ pattern: SEGMENT_KEY, title: 'Segment key', 'x-tend-suggest': 'segment' }) }, { additionalProperties: false }),
  ports: [{ name: 'next', label: 'Next' }],
  trigger: (config) => ({ eventType: 'tend.segment_left', where: { field: 'event.properties.segment', op: 'eq', value: config.segment } }),
  run: () => directive.next(),
});
