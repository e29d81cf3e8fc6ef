// tend.trigger.date-property: a contact enters when a date in their data comes round —
// "30 days before the contract renews, at 09:00 their time", "every year on the
// birthday". Tend keeps each contact's due time and re-plans it when the date changes.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, type DateSchedule, DURATION_PATTERN, scheduleSignature } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.trigger.date-property',
  version: 1,
  quick: true,
  category: 'trigger',
  title: 'Date reached',
  description: 'Starts the program on a date from the contact’s data, with an offset, once or every year.',
  summary: '{{offset}} from {{field}}',
  configSchema: Type.Object(
    {
      field: Type.String({ pattern: '^attributes\\.[A-Za-z_][A-Za-z0-9_]{0,63}$', title: 'Date attribute', description: 'e.g. attributes.renewal_date', default: 'attributes.renewal_date', 'x-tend-suggest': 'attributePath' }),
      offset: Type.Optional(Type.String({ pattern: '^-?' + DURATION_PATTERN.slice(1), title: 'Offset', description: '"-30 days" for before, "1 day" for after' })),
      atLocalTime: Type.Optional(Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', title: 'At local time', description: 'HH:MM in the contact’s time zone' })),
      yearly: Type.Optional(Type.Boolean({ title: 'Every year', default: false })),
    },
    { additionalProperties: false },
  ),
  ports: [{ name: 'next', label: 'Next' }],
  trigger: (config) => {
    const schedule: DateSchedule = { field: config.field, offset: config.offset, atLocalTime: config.atLocalTime, yearly: config.yearly === true };
    return {
      eventType: 'tend.date_reached',
      where: { field: 'event.properties.signature', op: 'eq', value: scheduleSignature(schedule) },
      dateSchedule: schedule,
    };
  },
  run: () => directive.next(),
});
