// The large program the editor is measured on, in one place: the e2e test opens it and
// `npm run bench -- editor` times it, so both always mean the same program.

export interface BigProgram {
  format: 'tend.flow/v1';
  name: string;
  nodes: { id: string; type: string; version: number; config: Record<string, unknown> }[];
  edges: { id: string; source: string; sourcePort: string; target: string }[];
}

const configs: Record<string, (i: number) => Record<string, unknown>> = {
  'tend.logic.if': (i) => ({ condition: { field: 'contact.score', op: 'gte', value: i } }),
  'tend.wait.duration': () => ({ duration: '1 day' }),
  'tend.action.score': () => ({ delta: 5, reason: 'step' }),
};
const kinds = Object.keys(configs);

/**
 * A branching program of `size` nodes without positions (so the editor must lay it out):
 * a trigger, then a breadth-first tree of if/else, waits and score changes.
 *
 * @example await tend.api('POST', '/api/flows', bigProgram(1000))
 */
export function bigProgram(size: number): BigProgram {
  const nodes: BigProgram['nodes'] = [{ id: 'n0', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } }];
  const edges: BigProgram['edges'] = [];
  const freePorts = [{ id: 'n0', port: 'next' }];
  for (let i = 1; i < size; i++) {
    const type = kinds[i % kinds.length]!;
    nodes.push({ id: `n${i}`, type, version: 1, config: configs[type]!(i) });
    const from = freePorts.shift()!;
    edges.push({ id: `e${i}`, source: from.id, sourcePort: from.port, target: `n${i}` });
    if (type === 'tend.logic.if') freePorts.push({ id: `n${i}`, port: 'yes' }, { id: `n${i}`, port: 'no' });
    else freePorts.push({ id: `n${i}`, port: 'next' });
  }
  return { format: 'tend.flow/v1', name: `Big program (${size.toLocaleString('en')} nodes)`, nodes, edges };
}
