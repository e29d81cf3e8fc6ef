// tend.wait.event: waits for an event (same correlation key by default) up to a
// timeout; the contact leaves by `event` the moment it arrives, else by `timeout`.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, Condition, conditionProblems, addDuration, DURATION_PATTERN } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.wait.event',
  version: 1,
  quick: true,
  category: 'wait',
  title: 'Wait for event',
  description: 'Waits until an event arrives, or a timeout passes.',
  summary: 'Wait up to {{timeout}} for {{eventType}}',
  waits: true,
  configSchema: Type.Object(
    {
      eventType: Type.String({ minLength: 1, maxLength: 200, title: 'Event type', 'x-tend-suggest': 'eventType' }),
      where: Type.Optional(Condition),
      timeout: Type.String({ pattern: DURATION_PATTERN, format: 'duration', title: 'Timeout', default: '1 hour' }),
      sameKey: Type.Optional(Type.Boolean({ title: 'Same correlation key', description: 'Only an event with this run\'s key (e.g. the same cart) counts', default: true })),
      fromThisRun: Type.Optional(Type.Boolean({ title: 'From this run’s emails', description: 'Only opens and clicks of emails this run sent count (email_opened, email_clicked)', default: false })),
    },
    { additionalProperties: false },
  ),
  ports: [
    { name: 'event', label: 'Event' },
    { name: 'timeout', label: 'Timeout' },
  ],
  check: (config) => (config.where ? conditionProblems(config.where, '/where') : []),
  run: (ctx) => {
    const { eventType, where, timeout, sameKey = true, fromThisRun = false } = ctx.config;
    const { key, keyPath } = ctx.enrollment;
    const correlate = fromThisRun
      ? { path: 'properties.enrollmentId', value: ctx.enrollment.id }
      : sameKey && key && keyPath ? { path: keyPath, value: key } : undefined;
    return directive.waitForEvent({ type: eventType, where, correlate }, addDuration(ctx.now, timeout));
  },
});
