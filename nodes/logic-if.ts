// tend.logic.if: two ways on a condition over the contact, the triggering event and
// facts about the contact's past events ("clicked message X within 3 days").
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, Condition, conditionProblems, evaluateMeasured } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.logic.if',
  version: 1,
  quick: true,
  category: 'logic',
  title: 'If / else',
  description: 'Sends the contact on by "yes" when the condition holds, else by "no".',
  summary: 'If {{condition}}',
  configSchema: Type.Object({ condition: Condition }, { additionalProperties: false }),
  ports: [
    { name: 'yes', label: 'Yes' },
    { name: 'no', label: 'No' },
  ],
  check: (config) => conditionProblems(config.condition, '/condition', { facts: true }),
  run: async (ctx) => ((await evaluateMeasured(ctx.config.condition, { contact: ctx.contact, event: ctx.event, received: ctx.received }, ctx.measure)) ? directive.next('yes') : directive.next('no')),
});
