// tend.wait.best-time: send-time optimisation. Waits until the hour this contact most
// often opens or clicks email (their own history; everyone's when they have too few
// opens and clicks), if that hour comes within the window; put it before an email.
// The run waits durably like any wait: a restart, a deploy or a week changes nothing.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, addDuration, atLocalTime, DURATION_PATTERN } from '../engine/plugin/index.js';

const pad = (h: number) => String(h).padStart(2, '0');

export default definePlugin({
  id: 'tend.wait.best-time',
  version: 1,
  quick: true,
  category: 'wait',
  title: 'Wait for the best time',
  description: 'Waits until the hour this contact usually opens email, within a window. Put it before an email.',
  summary: 'Best time within {{within}}',
  waits: true,
  configSchema: Type.Object(
    { within: Type.String({ pattern: DURATION_PATTERN, title: 'Within', description: 'If their best hour does not come within this long, go on at once', default: '24 hours' }) },
    { additionalProperties: false },
  ),
  ports: [{ name: 'next', label: 'Next' }],
  run: async (ctx) => {
    const best = await ctx.bestSendHour();
    // The next start of that hour in the contact's zone: today's, else tomorrow's.
    let at = atLocalTime(ctx.now, best.zone, `${pad(best.hour)}:00`);
    const hourEnd = new Date(at.getTime() + 3_600_000);
    if (at <= ctx.now && ctx.now < hourEnd) return directive.next(); // it is that hour now
    if (at <= ctx.now) at = atLocalTime(addDuration(ctx.now, '1 day'), best.zone, `${pad(best.hour)}:00`);
    ctx.log.info('best send time', { hour: best.hour, zone: best.zone, from: best.from, signals: best.signals, at: at.toISOString() });
    return at <= addDuration(ctx.now, ctx.config.within) ? directive.sleep(at) : directive.next();
  },
});
