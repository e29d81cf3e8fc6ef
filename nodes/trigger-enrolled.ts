// tend.trigger.enrolled: the entry for contacts put into this program by another
// program's "enroll in program" node (or by recording `tend.enroll_requested` with this
// program's id through the API of a plugin).
import { Type } from '@sinclair/typebox';
import { definePlugin, directive } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.trigger.enrolled',
  version: 1,
  quick: true,
  category: 'trigger',
  title: 'Enrolled by a program',
  description: 'Starts the program for contacts another program enrolls in it.',
  summary: 'Enrolled by another program',
  configSchema: Type.Object({}, { additionalProperties: false }),
  ports: [{ name: 'next', label: 'Next' }],
  trigger: () => ({ eventType: 'tend.enroll_requested', addressed: true }),
  run: () => directive.next(),
});
