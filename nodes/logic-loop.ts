// tend.logic.loop: a go-to with a limit. The `again` edge leads back to an earlier
// node; after the set number of rounds the contact leaves by `done` instead, so a
// "remind again later" loop can never run forever.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.logic.loop',
  version: 1,
  quick: true,
  boundsLoops: true,
  category: 'logic',
  title: 'Repeat (go to)',
  description: 'Goes back along "again" up to the set number of times, then on along "done".',
  summary: 'Repeat up to {{times}} times',
  configSchema: Type.Object(
    { times: Type.Integer({ minimum: 1, maximum: 1000, title: 'Rounds', description: 'How many times a contact goes back', default: 3 }) },
    { additionalProperties: false },
  ),
  ports: [
    { name: 'again', label: 'Again' },
    { name: 'done', label: 'Done' },
  ],
  run: (ctx) => directive.next(ctx.node.visit <= ctx.config.times ? 'again' : 'done'),
});
