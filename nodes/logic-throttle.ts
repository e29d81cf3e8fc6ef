// tend.logic.throttle: at most N contacts per period through this point of the program,
// in the order they arrive; the others queue (durably: each run sleeps until its place)
// and go on at that pace. For a send to a whole segment that the mail server, the sales
// team or the website must not get all at once.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, addDuration, DURATION_PATTERN } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.logic.throttle',
  version: 1,
  quick: true,
  category: 'wait',
  title: 'Throttle',
  description: 'Lets contacts through at most N per minute, hour or day, in the order they arrive; the rest queue.',
  summary: 'At most {{max}} per {{per}}',
  waits: true,
  waitingLabel: 'queued',
  configSchema: Type.Object(
    {
      max: Type.Integer({ minimum: 1, maximum: 100000, title: 'At most', default: 60 }),
      per: Type.String({ pattern: DURATION_PATTERN, title: 'Per', description: 'e.g. "1 minute", "1 hour"', default: '1 minute' }),
    },
    { additionalProperties: false },
  ),
  ports: [{ name: 'next', label: 'Next' }],
  run: async (ctx) => {
    const periodMs = addDuration(new Date(0), ctx.config.per).getTime();
    const place = await ctx.takePlace(periodMs / ctx.config.max);
    // A place due within 50 ms is now: not worth a timer (the queue's clock and ours differ by that much).
    return place.getTime() - ctx.now.getTime() <= 50 ? directive.next() : directive.sleep(place);
  },
});
