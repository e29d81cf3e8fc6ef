// tend.action.enroll-in / tend.action.remove-from: one program hands a contact to
// another ("yes, interested" → nurture), or takes them out of one (bought → leave the
// cart reminders). Both are events on the contact's timeline, recorded once per visit.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive } from '../engine/plugin/index.js';

const ProgramId = Type.String({ format: 'uuid', title: 'Program', description: 'The id of the other program' });

export const enrollIn = definePlugin({
  id: 'tend.action.enroll-in',
  version: 1,
  quick: true,
  category: 'action',
  title: 'Enroll in program',
  description: 'Puts the contact into another program (its "Enrolled by a program" entry).',
  summary: 'Enroll in {{programId}}',
  configSchema: Type.Object({ programId: ProgramId }, { additionalProperties: false }),
  ports: [{ name: 'next', label: 'Next' }],
  run: async (ctx) => {
    await ctx.effects.recordEvent('tend.enroll_requested', { programId: ctx.config.programId, by: ctx.program.name });
    return directive.next();
  },
});

export const removeFrom = definePlugin({
  id: 'tend.action.remove-from',
  version: 1,
  quick: true,
  category: 'action',
  title: 'Remove from program',
  description: 'Takes the contact out of another program, wherever they are in it.',
  summary: 'Remove from {{programId}}',
  configSchema: Type.Object({ programId: ProgramId }, { additionalProperties: false }),
  ports: [{ name: 'next', label: 'Next' }],
  run: async (ctx) => {
    await ctx.effects.recordEvent('tend.exit_requested', { programId: ctx.config.programId, by: ctx.program.name });
    return directive.next();
  },
});
