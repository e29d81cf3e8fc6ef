// tend.trigger.schedule: contacts enter on a calendar in their own time zone ("every
// Monday at 09:00": the blog digest, a monthly statement), optionally only those an
// audience condition holds for (a tag, a segment, a fact).
import { Type } from '@sinclair/typebox';
import { definePlugin, directive, Condition, conditionProblems, calendarSignature, cronProblem, SCHEDULE_REACHED } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.trigger.schedule',
  version: 1,
  quick: true,
  category: 'trigger',
  title: 'Schedule',
  description: "Starts the program for each contact when a cron schedule comes round in the contact's time zone (UTC when unknown).",
  summary: 'On {{cron}}',
  configSchema: Type.Object(
    {
      cron: Type.String({ minLength: 9, maxLength: 100, title: 'Cron schedule', description: 'minute hour day month weekday, e.g. "0 9 * * 1" for Mondays at 09:00 local time' }),
      audience: Type.Optional(Condition),
    },
    { additionalProperties: false },
  ),
  ports: [{ name: 'next', label: 'Next' }],
  check: (config) => {
    const problems = config.audience ? conditionProblems(config.audience, '/audience', { facts: true, roots: ['contact'] }) : [];
    const cron = cronProblem(config.cron);
    if (cron) problems.push({ path: '/cron', message: cron });
    return problems;
  },
  trigger: (config) => {
    const calendar = { cron: config.cron, ...(config.audience ? { audience: config.audience } : {}) };
    return { eventType: SCHEDULE_REACHED, where: { field: 'event.properties.signature', op: 'eq', value: calendarSignature(calendar) }, calendar };
  },
  run: () => directive.next(),
});
