// tend.action.set-stage: moves the contact to a lifecycle stage (subscriber → lead →
// MQL → SQL → customer …), kept in the `stage` attribute; a real change is recorded as
// `tend.stage_changed`, which the stage-changed trigger starts programs from.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, STAGE_ATTRIBUTE, STAGE_PATTERN } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.action.set-stage',
  version: 1,
  quick: true,
  category: 'action',
  title: 'Set stage',
  description: 'Sets the contact’s lifecycle stage.',
  summary: 'Stage → {{stage}}',
  configSchema: Type.Object(
    { stage: Type.String({ pattern: STAGE_PATTERN, title: 'Stage', description: 'e.g. lead, MQL, SQL, customer (the stages are listed on the Scoring screen)', default: 'MQL', 'x-tend-suggest': 'stage' }) },
    { additionalProperties: false },
  ),
  ports: [{ name: 'next', label: 'Next' }],
  run: async (ctx) => {
    const from = ctx.contact.attributes[STAGE_ATTRIBUTE] ?? null;
    if (from === ctx.config.stage) return directive.next();
    await ctx.effects.updateContact([{ op: 'set', field: STAGE_ATTRIBUTE, value: ctx.config.stage }]);
    await ctx.effects.recordEvent('tend.stage_changed', { from, to: ctx.config.stage });
    return directive.next();
  },
});
