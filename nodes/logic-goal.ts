// tend.logic.goal: a goal of the program ("bought", "booked a demo"). It needs no
// incoming edge: a run jumps here from wherever it is — mid-wait included — the first
// time the condition holds, and goes on from here (a thank-you, a hand-over) or ends
// when nothing is connected. Event conditions are checked as events arrive; contact
// conditions and facts before each step.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, Condition, conditionProblems } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.logic.goal',
  version: 1,
  quick: true,
  category: 'logic',
  title: 'Goal',
  description: 'When the condition holds, the contact leaves whatever step they are at and continues from here.',
  summary: 'Goal: {{condition}}',
  configSchema: Type.Object({ condition: Condition }, { additionalProperties: false }),
  ports: [{ name: 'next', label: 'Next' }],
  check: (config) => conditionProblems(config.condition, '/condition', { facts: true, roots: ['contact', 'event'] }),
  goal: (config) => config.condition,
  run: () => directive.next(),
});
