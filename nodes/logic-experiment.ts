// tend.logic.experiment: an A/B(/n) test with a holdout group and an automatic winner.
// Contacts are split at random (sticky per contact) until every variant has enough
// contacts whose window has passed; then the variant with the best rate of opens,
// clicks or a conversion event wins and everyone after gets it. The holdout gets
// nothing (its port is usually left unconnected) and shows the lift of sending at all.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, DURATION_PATTERN } from '../engine/plugin/index.js';
import { Variants, pickVariant, variantProblems } from './variants.js';

export default definePlugin({
  id: 'tend.logic.experiment',
  version: 1,
  quick: true,
  category: 'logic',
  title: 'A/B experiment',
  description: 'Splits contacts between variants and a holdout; picks the winner by opens, clicks or a conversion, then sends everyone there.',
  summary: 'Experiment {{variants}} by {{metric}}',
  configSchema: Type.Object(
    {
      variants: Variants(10),
      holdoutPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 50, title: 'Holdout (% of contacts who get nothing)', default: 10 })),
      metric: Type.Union([Type.Literal('opened'), Type.Literal('clicked'), Type.Literal('conversion')], { title: 'Winner by', default: 'clicked' }),
      conversionEvent: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,100}$', title: 'Conversion event', description: 'For "conversion": the event that counts, e.g. order_completed' })),
      window: Type.String({ pattern: DURATION_PATTERN, title: 'Counted within', default: '3 days' }),
      minSample: Type.Integer({ minimum: 1, maximum: 1_000_000, title: 'Contacts per variant before a winner', default: 200 }),
    },
    { additionalProperties: false },
  ),
  ports: [{ name: 'holdout', label: 'Holdout' }],
  dynamicPorts: { field: 'variants', nameKey: 'name', labelKey: 'label' },
  check: (config) => {
    const problems = variantProblems(config.variants, { holdout: '"holdout" is the holdout group\'s port' });
    if (config.metric === 'conversion' && !config.conversionEvent) problems.push({ path: '/conversionEvent', message: 'a conversion experiment needs the event that counts' });
    return problems;
  },
  run: async (ctx) => {
    const { variants, holdoutPercent = 0, metric, conversionEvent, window, minSample } = ctx.config;
    const assign = async (variant: string, decided: boolean) => {
      await ctx.effects.recordEvent('tend.experiment_assigned', { programId: ctx.program.id, node: ctx.node.id, variant, enrollmentId: ctx.enrollment.id, decided });
      return directive.next(variant);
    };
    if (ctx.sticky(`${ctx.node.id}:holdout`) * 100 < holdoutPercent) return assign('holdout', false);
    const state = await ctx.experiment({ variants: variants.map((v) => v.name), metric, event: conversionEvent, window, minSample });
    if (state.winner) return assign(state.winner, true);
    return assign(pickVariant(variants, ctx.sticky(ctx.node.id)).name, false);
  },
});
