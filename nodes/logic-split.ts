// tend.logic.split: random split by weights, sticky per contact, so a contact who
// comes back takes the same branch.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive } from '../engine/plugin/index.js';
import { Variants, pickVariant, variantProblems } from './variants.js';

export default definePlugin({
  id: 'tend.logic.split',
  version: 1,
  quick: true,
  category: 'logic',
  title: 'Random split',
  description: 'Splits contacts at random by weight; each contact always gets the same branch.',
  summary: 'Split {{variants}}',
  configSchema: Type.Object(
    {
      variants: Variants(20),
    },
    { additionalProperties: false },
  ),
  ports: [],
  dynamicPorts: { field: 'variants', nameKey: 'name', labelKey: 'label' },
  check: (config) => variantProblems(config.variants),
  run: (ctx) => directive.next(pickVariant(ctx.config.variants, ctx.sticky(ctx.node.id)).name),
});
