// The attribution settings' problems (one test per kind, each naming its field), the
// holdout's split, and the lift statistics against published values.
import { beforeAll, describe, expect, test } from 'vitest';
import { createRegistry, type Registry } from '../plugin/registry.js';
import { validateFlow } from '../flow/validate.js';
import { isHeldOut } from '../dispatch/holdout.js';
import { lift, wilson } from './lift.js';

let registry: Registry;
beforeAll(async () => { registry = await createRegistry(); });

const program = (settings: Record<string, unknown>) => ({
  format: 'tend.flow/v1', name: 'Welcome', settings,
  nodes: [{ id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } }], edges: [],
});
const ordered = { field: 'event.type', op: 'eq', value: 'order_completed' };

describe('settings problems name the field', () => {
  test('a sound program with a goal value, window and holdout has none', () => {
    expect(validateFlow(program({ goal: ordered, goalValue: 'properties.total', attributionWindow: '3 days', holdoutPercent: 10 }), registry)).toEqual([]);
  });
  test('a goal value, window or holdout without a goal', () => {
    expect(validateFlow(program({ goalValue: 'properties.total', holdoutPercent: 10 }), registry)).toEqual([
      { path: '/settings/goalValue', message: 'Goal value needs a goal: conversions are the events that meet it.' },
      { path: '/settings/holdoutPercent', message: 'Holdout percent needs a goal: conversions are the events that meet it.' },
    ]);
  });
  test('a goal reading the contact cannot be counted', () => {
    expect(validateFlow(program({ goal: { all: [ordered, { field: 'contact.score', op: 'gt', value: 5 }] }, holdoutPercent: 10 }), registry)).toEqual([
      { path: '/settings/goal', message: expect.stringContaining('With holdout percent, the goal must read only the event') },
    ]);
  });
  test('a holdout over half, a value outside the properties, a window that is no duration', () => {
    const paths = validateFlow(program({ goal: ordered, holdoutPercent: 80, goalValue: 'contact.score', attributionWindow: 'a while' }), registry).map((p) => p.path).sort();
    expect(paths).toEqual(['/settings/attributionWindow', '/settings/goalValue', '/settings/holdoutPercent']);
  });
});

test('the holdout is the same for a pair every time, about the share asked, and nobody at 0', () => {
  const contacts = Array.from({ length: 4000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const held = contacts.filter((c) => isHeldOut('11111111-1111-4111-8111-111111111111', c, 10));
  expect(held.length / contacts.length).toBeGreaterThan(0.085);
  expect(held.length / contacts.length).toBeLessThan(0.115);
  expect(held.every((c) => isHeldOut('11111111-1111-4111-8111-111111111111', c, 10))).toBe(true);
  // Another program splits the same contacts independently.
  const other = contacts.filter((c) => isHeldOut('22222222-2222-4222-8222-222222222222', c, 10));
  expect(other.filter((c) => held.includes(c)).length).toBeLessThan(held.length / 4);
  expect(contacts.some((c) => isHeldOut('11111111-1111-4111-8111-111111111111', c, 0))).toBe(false);
});

test('Newcombe\'s interval and the z-test give the published figures', () => {
  // Newcombe (1998), Statistics in Medicine 17:873–890, table II, method 10.
  const a = lift({ n: 70, converted: 56 }, { n: 80, converted: 48 })!;
  expect(a.difference).toBeCloseTo(0.2, 10);
  expect(a.low).toBeCloseTo(0.0524, 4);
  expect(a.high).toBeCloseTo(0.3339, 4);
  const b = lift({ n: 10, converted: 10 }, { n: 10, converted: 0 })!;
  expect([b.low, b.high].map((x) => Number(x.toFixed(4)))).toEqual([0.6075, 1]);
  // Wilson's interval of 0 / 40 (upper 0.0876), and the pooled z for 56/70 vs 48/80.
  expect(wilson({ n: 40, converted: 0 })[1]).toBeCloseTo(0.0876, 4);
  expect(a.z).toBeCloseTo(2.6502, 3);
  expect(a.pValue).toBeCloseTo(0.00805, 4);
  expect(a.relative).toBeCloseTo(1 / 3, 10);
  expect(lift({ n: 5, converted: 1 }, { n: 0, converted: 0 })).toBeNull();
});
