// tend.action.score: adds or removes points, with the reason kept on the timeline.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.action.score',
  version: 1,
  quick: true,
  category: 'action',
  title: 'Change score',
  description: 'Adds (or, negative, removes) lead-score points.',
  summary: 'Score {{delta}}',
  configSchema: Type.Object(
    {
      delta: Type.Integer({ minimum: -100000, maximum: 100000, title: 'Points', default: 10 }),
      reason: Type.String({ minLength: 1, maxLength: 200, title: 'Reason', default: 'program step' }),
    },
    { additionalProperties: false },
  ),
  ports: [{ name: 'next', label: 'Next' }],
  check: (config) => (config.delta === 0 ? [{ path: '/delta', message: 'a change of 0 points does nothing' }] : []),
  run: async (ctx) => {
    await ctx.effects.changeScore(ctx.config.delta, ctx.config.reason);
    return directive.next();
  },
});
