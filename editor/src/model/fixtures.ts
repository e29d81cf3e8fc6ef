// A small catalogue and program shared by the model tests: the shapes the server
// serves, written out so the tests do not depend on the built-in nodes changing.
import { catalogueOf, type FlowDocument, type NodeType } from './catalogue.js';

const condition = {
  $id: 'Condition', title: 'Condition',
  anyOf: [
    { type: 'object', required: ['all'], properties: { all: { type: 'array', items: { $ref: 'Condition' } } } },
    { type: 'object', required: ['not'], properties: { not: { $ref: 'Condition' } } },
    { type: 'object', title: 'Comparison', required: ['field', 'op'], properties: { field: { type: 'string' }, op: { anyOf: [{ const: 'eq', type: 'string' }, { const: 'gte', type: 'string' }] }, value: {} } },
  ],
};

export const types: NodeType[] = [
  { id: 'tend.trigger.event', version: 1, category: 'trigger', title: 'Event received', description: '', waits: false, source: 'built-in', summary: 'On {{eventType}}', ports: [{ name: 'next', label: 'Next' }], configSchema: { type: 'object', required: ['eventType'], properties: { eventType: { type: 'string', minLength: 1, title: 'Event type' } } } },
  { id: 'tend.wait.duration', version: 1, category: 'wait', title: 'Wait', description: '', waits: true, source: 'built-in', summary: 'Wait {{duration}}', ports: [{ name: 'next', label: 'Next' }], configSchema: { type: 'object', required: ['duration'], properties: { duration: { type: 'string', format: 'duration', default: '1 day' } } } },
  { id: 'tend.logic.if', version: 1, category: 'logic', title: 'If / else', description: '', waits: false, source: 'built-in', summary: 'If {{condition}}', ports: [{ name: 'yes', label: 'Yes' }, { name: 'no', label: 'No' }], configSchema: { type: 'object', required: ['condition'], properties: { condition } } },
  { id: 'tend.logic.split', version: 1, category: 'logic', title: 'Random split', description: '', waits: false, source: 'built-in', summary: 'Split {{variants}}', ports: [], dynamicPorts: { field: 'variants', nameKey: 'name', labelKey: 'label' }, configSchema: { type: 'object', required: ['variants'], properties: { variants: { type: 'array', default: [{ name: 'a', label: 'A', weight: 50 }, { name: 'b', label: 'B', weight: 50 }], items: { type: 'object', required: ['name', 'weight'], properties: { name: { type: 'string' }, label: { type: 'string' }, weight: { type: 'number' } } } } } } },
  { id: 'tend.action.email', version: 1, category: 'action', title: 'Send email', description: '', waits: false, source: 'built-in', summary: '“{{subject}}”', ports: [{ name: 'next', label: 'Next' }], configSchema: { type: 'object', required: ['subject', 'html'], properties: { subject: { type: 'string', format: 'template', maxLength: 500 }, html: { type: 'string', format: 'template', maxLength: 200000 }, marketing: { type: 'boolean', default: true } } } },
  { id: 'tend.logic.exit', version: 1, category: 'logic', title: 'Exit', description: '', waits: false, source: 'built-in', summary: 'Exit{{reason}}', ports: [], configSchema: { type: 'object', properties: { reason: { type: 'string' } } } },
];

export const catalogue = catalogueOf(types);

export function cartProgram(): FlowDocument {
  return {
    format: 'tend.flow/v1',
    name: 'Cart',
    nodes: [
      { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'checkout_started' }, position: { x: 0, y: 0 } },
      { id: 'check', type: 'tend.logic.if', version: 1, config: { condition: { field: 'contact.score', op: 'gte', value: 50 } }, position: { x: 300, y: 0 } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'Hi', html: '<p>Hi</p>' }, position: { x: 600, y: 0 } },
      { id: 'pause', type: 'tend.wait.duration', version: 1, config: { duration: '3 days' }, position: { x: 600, y: 200 } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'check' },
      { id: 'e2', source: 'check', sourcePort: 'yes', target: 'mail' },
    ],
  };
}
