// tend.logic.exit: ends the contact's run here, with a reason for the stats.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.logic.exit',
  version: 1,
  quick: true,
  category: 'logic',
  title: 'Exit',
  description: 'Ends the program for this contact.',
  summary: 'Exit{{reason}}',
  configSchema: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 200, title: 'Reason' })) }, { additionalProperties: false }),
  ports: [],
  run: (ctx) => directive.exit(ctx.config.reason ?? 'exit node'),
});
