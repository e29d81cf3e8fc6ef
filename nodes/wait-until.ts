// tend.wait.until: waits until a date: a fixed instant, or a date in the contact's or
// the event's data plus an offset, optionally at a local time in the contact's zone.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, readPath, addDuration, DURATION_PATTERN, atLocalTime, isTimeZone } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.wait.until',
  version: 1,
  quick: true,
  category: 'wait',
  title: 'Wait until a date',
  description: 'Waits until a date, fixed or read from the contact or the event, with an offset.',
  summary: 'Until {{date}}{{property}} {{offset}}',
  waits: true,
  configSchema: Type.Object(
    {
      date: Type.Optional(Type.String({ format: 'date-time', title: 'Date', description: 'A fixed instant (ISO 8601)' })),
      property: Type.Optional(Type.String({ pattern: '^(contact|event)(\\.[A-Za-z0-9_$-]+)+$', title: 'Date property', description: 'e.g. contact.attributes.renewal_date or event.properties.delivery_date' })),
      offset: Type.Optional(Type.String({ pattern: '^-?' + DURATION_PATTERN.slice(1), title: 'Offset', description: 'e.g. "-5 days" (before) or "2 hours" (after)' })),
      atLocalTime: Type.Optional(Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', title: 'At local time', description: 'HH:MM in the contact\'s time zone' })),
    },
    { additionalProperties: false },
  ),
  ports: [
    { name: 'next', label: 'Next' },
    { name: 'missing', label: 'No date' },
  ],
  check: (config) => {
    if (!config.date === !config.property) return [{ path: '/date', message: 'give either a fixed date or a date property, not both and not neither' }];
    return [];
  },
  run: (ctx) => {
    const { date, property, offset, atLocalTime: hhmm } = ctx.config;
    const raw = date ?? readPath({ contact: ctx.contact, event: ctx.event }, property!);
    const base = typeof raw === 'string' || typeof raw === 'number' ? new Date(raw) : undefined;
    if (!base || Number.isNaN(base.getTime())) return directive.next('missing');
    let when = base;
    if (offset) {
      const negative = offset.trim().startsWith('-');
      const magnitude = offset.trim().replace(/^-/, '');
      const delta = addDuration(new Date(0), magnitude).getTime();
      when = negative ? new Date(when.getTime() - delta) : addDuration(when, magnitude);
    }
    if (hhmm) when = atLocalTime(when, ctx.contact.timezone && isTimeZone(ctx.contact.timezone) ? ctx.contact.timezone : 'UTC', hhmm);
    return when <= ctx.now ? directive.next() : directive.sleep(when);
  },
});
