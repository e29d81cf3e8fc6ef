// The dry-run simulator's interpreter against the workflow's rules: sleeps jump to their
// wake-up, a wait takes the first matching event (even one that arrived before the wait
// began) or times out, the goal ends a run from anywhere, loops are bounded.
import { beforeAll, expect, test } from 'vitest';
import { createRegistry, type Registry } from '../plugin/registry.js';
import { simulate } from './simulator.js';
import type { FlowDocument } from '../flow/document.js';

let registry: Registry;
beforeAll(async () => { registry = await createRegistry(); });

const doc = (extra: Partial<FlowDocument> = {}): FlowDocument => ({
  format: 'tend.flow/v1',
  name: 'Cart',
  nodes: [
    { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'checkout_started', correlationKey: 'properties.cart' } },
    { id: 'pause', type: 'tend.wait.duration', version: 1, config: { duration: '1 hour' } },
    { id: 'order', type: 'tend.wait.event', version: 1, config: { eventType: 'order_completed', timeout: '1 day' } },
    { id: 'remind', type: 'tend.action.email', version: 1, config: { subject: 'Cart {{event.properties.cart}}', html: '<p>!</p>' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'next', target: 'pause' },
    { id: 'e2', source: 'pause', sourcePort: 'next', target: 'order' },
    { id: 'e3', source: 'order', sourcePort: 'timeout', target: 'remind' },
  ],
  ...extra,
} as FlowDocument);
const at = (h: number) => new Date(Date.UTC(2030, 0, 1, h)).toISOString();

test('an order of another cart does not count; the reminder goes after the timeout', async () => {
  const r = await simulate({ doc: doc(), registry, contact: { email: 'a@example.com' }, events: [
    { type: 'checkout_started', properties: { cart: 'A' }, occurredAt: at(0) },
    { type: 'order_completed', properties: { cart: 'B' }, occurredAt: at(2) },
  ] });
  expect(r.path).toEqual(['start', 'pause', 'order', 'remind']);
  expect(r.steps.map((s) => s.at)).toEqual([at(0), at(0), at(1), at(25)]);
  expect(r.steps[3]!.effects.emails[0]!.subject).toBe('Cart A');
  expect(r.outcome).toBe('completed');
});

test('an order that came during the first pause still ends the wait, as the workflow’s buffered signals do', async () => {
  const r = await simulate({ doc: doc(), registry, contact: {}, events: [
    { type: 'checkout_started', properties: { cart: 'A' }, occurredAt: at(0) },
    { type: 'order_completed', properties: { cart: 'A' }, occurredAt: '2030-01-01T00:30:00.000Z' },
  ] });
  expect(r.path).toEqual(['start', 'pause', 'order']);
  expect(r.steps[2]).toMatchObject({ port: 'event', wokeAt: at(1) });
});

test('the goal ends the run where it waits; no trigger event, no entry', async () => {
  const goal = { field: 'event.type', op: 'eq', value: 'unsubscribed' };
  const r = await simulate({ doc: doc({ settings: { goal } as FlowDocument['settings'] }), registry, contact: {}, events: [
    { type: 'checkout_started', properties: { cart: 'A' }, occurredAt: at(0) },
    { type: 'unsubscribed', occurredAt: at(3) },
  ] });
  expect(r).toMatchObject({ outcome: 'goal reached', endedAt: at(3), path: ['start', 'pause', 'order'] });
  expect((await simulate({ doc: doc(), registry, contact: {}, events: [{ type: 'page_viewed', occurredAt: at(0) }] })).outcome).toBe('not entered');
});

test('a goal node is jumped to from a wait when its event comes, as the workflow does (shared interpreter)', async () => {
  const d = doc();
  d.nodes.push({ id: 'bought', type: 'tend.logic.goal', version: 1, config: { condition: { field: 'event.type', op: 'eq', value: 'order_completed' } } });
  d.nodes.push({ id: 'thanks', type: 'tend.action.email', version: 1, config: { subject: 'Thanks', html: '<p>!</p>' } });
  d.edges.push({ id: 'e4', source: 'bought', sourcePort: 'next', target: 'thanks' });
  const r = await simulate({ doc: d, registry, contact: { email: 'a@example.com' }, events: [
    { type: 'checkout_started', properties: { cart: 'A' }, occurredAt: at(0) },
    { type: 'order_completed', properties: { cart: 'Z' }, occurredAt: '2030-01-01T00:20:00.000Z' },
  ] });
  // The order comes during the first pause: the run leaves the pause unfinished for the goal.
  expect(r.path).toEqual(['start', 'pause', 'bought', 'thanks']);
  expect(r.steps[1]).toMatchObject({ port: null, wokeAt: '2030-01-01T00:20:00.000Z' });
  expect(r.steps[3]!.effects.emails.map((m) => m.subject)).toEqual(['Thanks']);
  expect(r.outcome).toBe('completed');
});

test('another program removing the contact ends the run where it waits, with who removed it', async () => {
  const r = await simulate({ doc: doc(), registry, contact: {}, events: [
    { type: 'checkout_started', properties: { cart: 'A' }, occurredAt: at(0) },
    { type: 'tend.exit_requested', properties: { programId: 'simulated-program', by: 'VIP onboarding' }, occurredAt: at(5) },
  ] });
  expect(r).toMatchObject({ outcome: 'exited', reason: 'removed by VIP onboarding', endedAt: at(5), path: ['start', 'pause', 'order'] });
});

test('a program with problems is refused with their paths', async () => {
  const bad = doc();
  bad.edges.push({ id: 'e4', source: 'remind', sourcePort: 'nowhere', target: 'start' });
  await expect(simulate({ doc: bad, registry, contact: {}, events: [] })).rejects.toThrow('/edges/3/sourcePort');
});
