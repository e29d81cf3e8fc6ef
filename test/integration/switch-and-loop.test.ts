// Multi-way switch and the bounded go-to loop, run for real.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
beforeAll(async () => { tend = await startTend(); });
afterAll(async () => { await tend?.stop(); });

const mark = (id: string, value: string) => ({ id, type: 'tend.action.update-contact', version: 1, config: { operations: [{ op: 'set', field: 'branch', value }] } });
const attributesOf = async (email: string) => (await tend.api('GET', `/api/contacts?email=${encodeURIComponent(email)}`)).body.contacts[0].attributes;

test('a switch sends each contact by the first case that holds, the rest by "otherwise"', async () => {
  const id = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Moved house',
    nodes: [
      { id: 'moved', type: 'tend.trigger.event', version: 1, config: { eventType: 'address_changed' } },
      { id: 'region', type: 'tend.logic.switch', version: 1, config: { cases: [
        { name: 'north', label: 'North', condition: { field: 'event.properties.postcode', op: 'startsWith', value: '2' } },
        { name: 'south', label: 'South', condition: { any: [
          { field: 'event.properties.postcode', op: 'startsWith', value: '8' },
          { field: 'event.properties.postcode', op: 'startsWith', value: '9' },
        ] } },
      ] } },
      mark('n', 'north'), mark('s', 'south'), mark('o', 'elsewhere'),
    ],
    edges: [
      { id: 'e1', source: 'moved', sourcePort: 'next', target: 'region' },
      { id: 'e2', source: 'region', sourcePort: 'north', target: 'n' },
      { id: 'e3', source: 'region', sourcePort: 'south', target: 's' },
      { id: 'e4', source: 'region', sourcePort: 'otherwise', target: 'o' },
    ],
  });
  const moves: [string, string][] = [['hh@example.com', '20095'], ['muc@example.com', '80331'], ['nbg@example.com', '90402'], ['cgn@example.com', '50667']];
  for (const [email, postcode] of moves) await tend.event({ type: 'address_changed', email, properties: { postcode } });
  await tend.until(async () => (await tend.api('GET', `/api/flows/${id}/stats`)).body.enrollments.completed === 4, 'four runs');
  expect(await Promise.all(moves.map(async ([email]) => (await attributesOf(email)).branch))).toEqual(['north', 'south', 'south', 'elsewhere']);
  const stats = (await tend.api('GET', `/api/flows/${id}/stats`)).body;
  expect([stats.edges.e2.count, stats.edges.e3.count, stats.edges.e4.count]).toEqual([1, 2, 1]);
});

test('a loop goes back the set number of times, then on by "done"', async () => {
  const id = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Still interested?',
    nodes: [
      { id: 'stale', type: 'tend.trigger.event', version: 1, config: { eventType: 'went_quiet' } },
      { id: 'ask', type: 'tend.action.email', version: 1, config: { subject: 'Still interested?', html: '<p>Yes or no thanks?</p>' } },
      { id: 'pause', type: 'tend.wait.duration', version: 1, config: { duration: '1 second' } },
      { id: 'rounds', type: 'tend.logic.loop', version: 1, config: { times: 2 } },
      mark('gave_up', 'gave up'),
    ],
    edges: [
      { id: 'e1', source: 'stale', sourcePort: 'next', target: 'ask' },
      { id: 'e2', source: 'ask', sourcePort: 'next', target: 'pause' },
      { id: 'e3', source: 'pause', sourcePort: 'next', target: 'rounds' },
      { id: 'e4', source: 'rounds', sourcePort: 'again', target: 'ask' },
      { id: 'e5', source: 'rounds', sourcePort: 'done', target: 'gave_up' },
    ],
  });
  await tend.event({ type: 'went_quiet', email: 'quiet@example.com' });
  await tend.until(async () => (await tend.api('GET', `/api/flows/${id}/stats`)).body.enrollments.completed === 1, 'the run to end');
  expect(tend.mailbox.messages.map((m) => m.subject)).toEqual(['Still interested?', 'Still interested?', 'Still interested?']);
  expect((await attributesOf('quiet@example.com')).branch).toBe('gave up');
  const stats = (await tend.api('GET', `/api/flows/${id}/stats`)).body;
  expect(stats.nodes.rounds.entered).toBe(3);
  expect([stats.edges.e4.count, stats.edges.e5.count]).toEqual([2, 1]);
});

test('a loop without a wait is accepted only because of the loop limit', async () => {
  const doc = (loopType: string, config: unknown) => ({
    format: 'tend.flow/v1',
    name: 'tight loop',
    nodes: [
      { id: 't', type: 'tend.trigger.event', version: 1, config: { eventType: 'x' } },
      { id: 'score', type: 'tend.action.score', version: 1, config: { delta: 1, reason: 'round' } },
      { id: 'again', type: loopType, version: 1, config },
    ],
    edges: [
      { id: 'e1', source: 't', sourcePort: 'next', target: 'score' },
      { id: 'e2', source: 'score', sourcePort: 'next', target: 'again' },
      { id: 'e3', source: 'again', sourcePort: loopType === 'tend.logic.loop' ? 'again' : 'yes', target: 'score' },
    ],
  });
  const bounded = await tend.api('POST', '/api/flows/validate', doc('tend.logic.loop', { times: 3 }));
  expect(bounded.body.problems).toEqual([]);
  const unbounded = await tend.api('POST', '/api/flows/validate', doc('tend.logic.if', { condition: { field: 'contact.score', op: 'lt', value: 10 } }));
  expect(unbounded.body.problems).toEqual([expect.objectContaining({ path: '/nodes/1', message: expect.stringContaining('no loop limit') })]);
});
