// tend.wait.condition: waits until a condition about the contact holds ("score at
// least 50", "bought twice", "in segment vip"), at most for a timeout. It is checked
// at once, then again whenever an event for the contact arrives (their changes are
// events too) — no polling — and a last time at the timeout.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, Condition, conditionProblems, evaluateMeasured, DURATION_PATTERN, addDuration } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.wait.condition',
  version: 1,
  quick: true,
  waits: true,
  category: 'wait',
  title: 'Wait for a condition',
  description: 'Waits until the condition holds for the contact (re-checked as their events arrive), or the timeout passes.',
  summary: 'Wait up to {{timeout}} until {{condition}}',
  configSchema: Type.Object(
    {
      condition: Condition,
      timeout: Type.String({ pattern: DURATION_PATTERN, title: 'At most', default: '7 days' }),
    },
    { additionalProperties: false },
  ),
  ports: [
    { name: 'met', label: 'Met' },
    { name: 'timeout', label: 'Timed out' },
  ],
  check: (config) => conditionProblems(config.condition, '/condition', { facts: true, roots: ['contact', 'event'] }),
  run: async (ctx) => {
    if (await evaluateMeasured(ctx.config.condition, { contact: ctx.contact, event: ctx.event }, ctx.measure)) return directive.next('met');
    const deadline = addDuration(new Date(ctx.node.arrivedAt), ctx.config.timeout);
    if (ctx.now >= deadline) return directive.next('timeout');
    return directive.again(deadline, 'waiting for a condition', { orOnEvent: true });
  },
});
