// tend.wait.duration: holds the contact for a fixed time, from seconds to years.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, DURATION_PATTERN, addDuration } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.wait.duration',
  version: 1,
  quick: true,
  category: 'wait',
  title: 'Wait',
  description: 'Waits for a fixed time before moving on.',
  summary: 'Wait {{duration}}',
  waits: true,
  configSchema: Type.Object(
    { duration: Type.String({ pattern: DURATION_PATTERN, format: 'duration', title: 'Duration', description: 'e.g. "3 days", "1 hour", "6 months"', default: '1 day' }) },
    { additionalProperties: false },
  ),
  ports: [{ name: 'next', label: 'Next' }],
  run: (ctx) => directive.sleep(addDuration(ctx.now, ctx.config.duration)),
});
