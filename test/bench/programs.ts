// The programs the benchmarks run.
export const fiveNodes = {
  format: 'tend.flow/v1',
  name: 'Bench: five nodes',
  nodes: [
    { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'bench_started' } },
    { id: 'score', type: 'tend.action.score', version: 1, config: { delta: 5, reason: 'bench' } },
    { id: 'tag', type: 'tend.action.update-contact', version: 1, config: { operations: [{ op: 'addTag', tag: 'benched' }] } },
    { id: 'check', type: 'tend.logic.if', version: 1, config: { condition: { field: 'contact.score', op: 'gte', value: 5 } } },
    { id: 'done', type: 'tend.logic.exit', version: 1, config: { reason: 'bench done' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'next', target: 'score' },
    { id: 'e2', source: 'score', sourcePort: 'next', target: 'tag' },
    { id: 'e3', source: 'tag', sourcePort: 'next', target: 'check' },
    { id: 'e4', source: 'check', sourcePort: 'yes', target: 'done' },
    { id: 'e5', source: 'check', sourcePort: 'no', target: 'done' },
  ],
};

export const ping = {
  format: 'tend.flow/v1',
  name: 'Bench: event to email',
  nodes: [
    { id: 'ping', type: 'tend.trigger.event', version: 1, config: { eventType: 'bench_ping' } },
    { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'ping {{event.properties.seq}}', html: '<p>pong</p>' } },
  ],
  edges: [{ id: 'e1', source: 'ping', sourcePort: 'next', target: 'mail' }],
};
