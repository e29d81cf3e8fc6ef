// tend.trigger.form-submitted: a contact enters when they submit a form (hosted or
// embedded), optionally only a given one. The submission is a `form_submitted` event
// carrying the form id and the values, readable as event.properties.values.<field>.
import { Type } from '@sinclair/typebox';
import { definePlugin, directive } from '../engine/plugin/index.js';

export default definePlugin({
  id: 'tend.trigger.form-submitted',
  version: 1,
  quick: true,
  category: 'trigger',
  title: 'Form submitted',
  description: 'Starts the program when a contact submits a form (any form, or the one named).',
  summary: 'When a form is submitted',
  configSchema: Type.Object(
    { formId: Type.Optional(Type.String({ format: 'uuid', title: 'Form', description: 'Only this form (its id); empty for any form' })) },
    { additionalProperties: false },
  ),
  ports: [{ name: 'next', label: 'Next' }],
  trigger: (c) => (c.formId ? { eventType: 'form_submitted', where: { field: 'event.properties.formId', op: 'eq', value: c.formId } } : { eventType: 'form_submitted' }),
  run: () => directive.next(),
});
