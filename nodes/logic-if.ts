// tend.logic.if: two ways on a condition over the contact and the triggering event.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive } from '../engine/plugin.js';
import { Condition, conditionProblems, evaluate } from '../engine/conditions.js';

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
  check: (config) => conditionProblems(config.condition, '/condition'),
  run: (ctx) => (evaluate(ctx.config.condition, { contact: ctx.contact, event: ctx.event, received: ctx.received }) ? directive.next('yes') : directive.next('no')),
});
