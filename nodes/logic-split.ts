// tend.logic.split: random split by weights, sticky per contact, so a contact who
// comes back takes the same branch.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive } from '../engine/plugin.js';

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
      variants: Type.Array(
        Type.Object(
          {
            name: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$', title: 'Port name' }),
            label: Type.Optional(Type.String({ maxLength: 60 })),
            weight: Type.Number({ minimum: 0, maximum: 100000, title: 'Weight' }),
          },
          { additionalProperties: false },
        ),
        { minItems: 2, maxItems: 20, title: 'Variants', default: [{ name: 'a', label: 'A', weight: 50 }, { name: 'b', label: 'B', weight: 50 }] },
      ),
    },
    { additionalProperties: false },
  ),
  ports: [],
  dynamicPorts: { field: 'variants', nameKey: 'name', labelKey: 'label' },
  check: (config) => {
    const problems: { path: string; message: string }[] = [];
    const names = new Set<string>();
    config.variants.forEach((v: { name: string }, i: number) => {
      if (names.has(v.name)) problems.push({ path: `/variants/${i}/name`, message: `variant name "${v.name}" is used twice` });
      names.add(v.name);
    });
    if (config.variants.reduce((s: number, v: { weight: number }) => s + v.weight, 0) <= 0) problems.push({ path: '/variants', message: 'the weights add up to 0' });
    return problems;
  },
  run: (ctx) => {
    const total = ctx.config.variants.reduce((s, v) => s + v.weight, 0);
    let point = ctx.sticky(ctx.node.id) * total;
    for (const v of ctx.config.variants) {
      if (point < v.weight) return directive.next(v.name);
      point -= v.weight;
    }
    return directive.next(ctx.config.variants[ctx.config.variants.length - 1].name);
  },
});
