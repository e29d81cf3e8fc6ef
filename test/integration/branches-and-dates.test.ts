// If/else on contact and event data, a random split that is sticky per contact, and a
// wait until a date read from the event (minus an offset).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
beforeAll(async () => { tend = await startTend(); });
afterAll(async () => { await tend?.stop(); });

const mark = (id: string, value: string) => ({ id, type: 'tend.action.update-contact', version: 1, config: { operations: [{ op: 'set', field: 'branch', value }, { op: 'increment', field: 'passes', by: 1 }] } });
const attributes = async (email: string) => (await tend.api('GET', `/api/contacts?email=${encodeURIComponent(email)}`)).body.contacts[0].attributes;
const completed = async (id: string) => (await tend.api('GET', `/api/flows/${id}/stats`)).body.enrollments.completed as number;

test('if/else on the contact’s score and tags and the event’s properties', async () => {
  const id = await tend.publish({
    format: 'tend.flow/v1',
    name: 'VIP care',
    nodes: [
      { id: 'order', type: 'tend.trigger.event', version: 1, config: { eventType: 'ordered' } },
      { id: 'vip', type: 'tend.logic.if', version: 1, config: { condition: { any: [
        { field: 'event.properties.total', op: 'gte', value: 500 },
        { all: [{ field: 'contact.tags', op: 'contains', value: 'loyal' }, { field: 'contact.score', op: 'gt', value: 20 }] },
      ] } } },
      mark('yes', 'vip'), mark('no', 'regular'),
    ],
    edges: [
      { id: 'e1', source: 'order', sourcePort: 'next', target: 'vip' },
      { id: 'e2', source: 'vip', sourcePort: 'yes', target: 'yes' },
      { id: 'e3', source: 'vip', sourcePort: 'no', target: 'no' },
    ],
  });
  await tend.api('PUT', '/api/contacts', { email: 'loyal@example.com', tags: ['loyal'] });
  await tend.event({ type: 'ordered', email: 'big@example.com', properties: { total: 640 } });
  await tend.event({ type: 'ordered', email: 'small@example.com', properties: { total: 40 } });
  await tend.event({ type: 'ordered', email: 'loyal@example.com', properties: { total: 40 } }); // loyal, but score 0
  await tend.until(async () => (await completed(id)) === 3, 'three runs');
  expect([(await attributes('big@example.com')).branch, (await attributes('small@example.com')).branch, (await attributes('loyal@example.com')).branch]).toEqual(['vip', 'regular', 'regular']);
});

test('a random split follows the weights and sends a returning contact the same way', async () => {
  const id = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Subject test',
    settings: { reentry: 'afterExit' },
    nodes: [
      { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'split_me' } },
      { id: 'split', type: 'tend.logic.split', version: 1, config: { variants: [{ name: 'a', label: 'A', weight: 50 }, { name: 'b', label: 'B', weight: 50 }, { name: 'never', label: 'Never', weight: 0 }] } },
      mark('ma', 'a'), mark('mb', 'b'), mark('mn', 'never'),
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'split' },
      { id: 'e2', source: 'split', sourcePort: 'a', target: 'ma' },
      { id: 'e3', source: 'split', sourcePort: 'b', target: 'mb' },
      { id: 'e4', source: 'split', sourcePort: 'never', target: 'mn' },
    ],
  });
  const people = Array.from({ length: 40 }, (_, i) => `split-${i}@example.com`);
  await tend.api('POST', '/api/events/batch', { events: people.map((email) => ({ type: 'split_me', email })) });
  await tend.until(async () => (await completed(id)) === 40, 'forty runs', 60000);
  const first = await Promise.all(people.slice(0, 10).map(async (p) => (await attributes(p)).branch));
  const stats = (await tend.api('GET', `/api/flows/${id}/stats`)).body;
  expect(stats.edges.e4.count).toBe(0);
  // 40 fair coin flips: both sides get at least 8 (a false alarm about once in 10^4 runs).
  expect(stats.edges.e2.count).toBeGreaterThanOrEqual(8);
  expect(stats.edges.e3.count).toBeGreaterThanOrEqual(8);
  expect(stats.edges.e2.count + stats.edges.e3.count).toBe(40);

  await tend.api('POST', '/api/events/batch', { events: people.slice(0, 10).map((email) => ({ type: 'split_me', email })) });
  await tend.until(async () => (await completed(id)) === 50, 'the returning contacts', 60000);
  const again = await Promise.all(people.slice(0, 10).map(async (p) => attributes(p)));
  expect(again.map((a) => a.branch)).toEqual(first);
  expect(again.every((a) => a.passes === 2)).toBe(true);
});

test('wait until a date from the event, minus an offset; a missing date takes the "missing" port', async () => {
  const id = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Replenish',
    nodes: [
      { id: 'bought', type: 'tend.trigger.event', version: 1, config: { eventType: 'bought_lenses' } },
      { id: 'until', type: 'tend.wait.until', version: 1, config: { property: 'event.properties.runs_out_at', offset: '-2 seconds' } },
      { id: 'remind', type: 'tend.action.email', version: 1, config: { subject: 'Time to reorder', html: '<p>Your lenses run out soon.</p>' } },
      mark('nodate', 'no date'),
    ],
    edges: [
      { id: 'e1', source: 'bought', sourcePort: 'next', target: 'until' },
      { id: 'e2', source: 'until', sourcePort: 'next', target: 'remind' },
      { id: 'e3', source: 'until', sourcePort: 'missing', target: 'nodate' },
    ],
  });
  const runsOut = new Date(Date.now() + 5000);
  await tend.event({ type: 'bought_lenses', email: 'lens@example.com', properties: { runs_out_at: runsOut.toISOString() } });
  await tend.event({ type: 'bought_lenses', email: 'nodate@example.com', properties: {} });
  await tend.until(async () => (await tend.api('GET', `/api/flows/${id}/stats`)).body.nodes.until.waiting === 1, 'the wait');
  const [mail] = await tend.mailbox.waitFor(1, 20000);
  expect(mail!.subject).toBe('Time to reorder');
  // Not before the date minus the offset.
  expect(Date.now()).toBeGreaterThanOrEqual(runsOut.getTime() - 2000);
  await tend.until(async () => (await completed(id)) === 2, 'both runs');
  expect((await attributes('nodate@example.com')).branch).toBe('no date');
});
