// Every kind of problem the flow validator reports, one test each, with the JSON
// Pointer it names; and all of a document's problems come back at once.
import { beforeAll, describe, expect, test } from 'vitest';
import { createRegistry } from '../plugin/registry.js';
import type { Registry } from '../plugin/registry.js';
import { validateFlow } from './validate.js';

let registry: Registry;
beforeAll(async () => { registry = await createRegistry(); });

const trigger = { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } };
const wait = (id: string) => ({ id, type: 'tend.wait.duration', version: 1, config: { duration: '1 day' } });
const score = (id: string) => ({ id, type: 'tend.action.score', version: 1, config: { delta: 5, reason: 'x' } });
const doc = (nodes: unknown[], edges: unknown[]) => ({ format: 'tend.flow/v1', name: 'test', nodes, edges });
const edge = (id: string, source: string, target: string, sourcePort = 'next') => ({ id, source, sourcePort, target });
const problems = (d: unknown) => validateFlow(d, registry);

test('a sound program has no problems', () => {
  expect(problems(doc([trigger, wait('w'), score('s')], [edge('e1', 'start', 'w'), edge('e2', 'w', 's')]))).toEqual([]);
});

describe('one test per kind of problem', () => {
  test('unknown node type', () => {
    expect(problems(doc([trigger, { id: 'x', type: 'acme.nothing', version: 1, config: {} }], [edge('e1', 'start', 'x')]))).toEqual([
      { path: '/nodes/1/type', message: 'The step kind “acme.nothing” is not installed on this Tend: install its plugin, or delete the step.' },
    ]);
  });

  test('unknown version of a known type', () => {
    expect(problems(doc([trigger, { ...score('s'), version: 7 }], [edge('e1', 'start', 's')]))).toEqual([
      { path: '/nodes/1/version', message: expect.stringContaining('has no version 7') },
    ]);
  });

  test('config that does not match the plugin schema, down to the field', () => {
    const found = problems(doc([trigger, { ...wait('w'), config: { duration: 'soonish' } }, { ...score('s'), config: { delta: 'ten', reason: 'x' } }], [edge('e1', 'start', 'w'), edge('e2', 'w', 's')]));
    expect(found).toEqual([
      { path: '/nodes/1/config/duration', message: 'Duration must be a duration like "3 days".' },
      { path: '/nodes/2/config/delta', message: 'Points must be a whole number.' },
    ]);
  });

  test('a check the schema cannot express, with its path', () => {
    expect(problems(doc([trigger, { ...score('s'), config: { delta: 0, reason: 'x' } }], [edge('e1', 'start', 's')]))).toEqual([
      { path: '/nodes/1/config/delta', message: 'A change of 0 points does nothing.' },
    ]);
  });

  test('an edge from a port the node does not declare', () => {
    expect(problems(doc([trigger, score('s')], [edge('e1', 'start', 's', 'yes')]))).toEqual([
      { path: '/edges/0/sourcePort', message: '“Event received” has no output “yes” (its outputs: Next): connect from one of its outputs, or delete the connection.' },
    ]);
  });

  test('an edge to a missing node, and from one', () => {
    expect(problems(doc([trigger, score('s')], [edge('e0', 'start', 's'), edge('e1', 's', 'ghost'), edge('e2', 'phantom', 's')]))).toEqual([
      { path: '/edges/1/target', message: 'edge ends at node "ghost", which does not exist' },
      { path: '/edges/2/source', message: 'edge starts at node "phantom", which does not exist' },
    ]);
  });

  test('two edges from one port', () => {
    expect(problems(doc([trigger, score('a'), score('b')], [edge('e1', 'start', 'a'), edge('e2', 'start', 'b')]))).toEqual([
      { path: '/edges/1/sourcePort', message: 'The output “Next” of “Event received” is connected twice; an output leads to one step, so delete one of the connections.' },
    ]);
  });

  test('no trigger', () => {
    expect(problems(doc([score('s')], []))).toEqual([{ path: '/nodes', message: 'The program has no trigger, so no contact can enter it: add one from Triggers.' }]);
  });

  test('a node no trigger reaches, named by its label or its kind (never its id)', () => {
    expect(problems(doc([trigger, score('a'), score('island'), { ...score('isle'), label: 'Bonus points' }], [edge('e1', 'start', 'a')]))).toEqual([
      { path: '/nodes/2', message: '“Change score” cannot be reached from any trigger: connect a step to it, or delete it.' },
      { path: '/nodes/3', message: '“Bonus points” cannot be reached from any trigger: connect a step to it, or delete it.' },
    ]);
  });

  test('a cycle with no wait in it; the same cycle through a wait is fine', () => {
    const tight = problems(doc([trigger, score('a'), score('b')], [edge('e1', 'start', 'a'), edge('e2', 'a', 'b'), edge('e3', 'b', 'a')]));
    expect(tight).toEqual([{ path: expect.stringMatching(/^\/nodes\/[12]$/), message: expect.stringContaining('form a loop with no wait') }]);
    expect(problems(doc([trigger, score('a'), wait('w')], [edge('e1', 'start', 'a'), edge('e2', 'a', 'w'), edge('e3', 'w', 'a')]))).toEqual([]);
  });

  test('an edge into a trigger', () => {
    const second = { ...trigger, id: 'again' };
    expect(problems(doc([trigger, second], [edge('e1', 'start', 'again')]))).toEqual([
      { path: '/edges/0/target', message: 'A connection leads into the trigger “Event received”; contacts enter at a trigger, so nothing may lead into it.' },
    ]);
  });

  test('a badly formed document is described before the graph is checked', () => {
    const found = problems({ format: 'tend.flow/v2', nodes: [{ id: 'a' }], edges: 'none' });
    expect(found.map((p) => p.path)).toEqual(expect.arrayContaining(['/format', '/edges']));
  });
});

test('every problem of a document comes back at once', () => {
  const found = problems(doc(
    [trigger, { id: 'x', type: 'acme.nothing', version: 1, config: {} }, { ...score('s'), config: { delta: 'many' } }, score('island'), { ...trigger, id: 't2' }],
    [edge('e1', 'start', 's'), edge('e2', 'start', 'ghost'), edge('e3', 's', 't2')],
  ));
  expect(found.map((p) => p.path).sort()).toEqual([
    '/edges/1/sourcePort', '/edges/1/target', '/edges/2/target', '/nodes/1', '/nodes/1/type', '/nodes/2/config/delta', '/nodes/2/config/reason', '/nodes/3',
  ].sort());
});
