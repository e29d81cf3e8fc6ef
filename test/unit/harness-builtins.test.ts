// Every built-in trigger, wait and logic node run through the plugin harness: the
// directive for typical configs, both ways of each branch, and wake-up times (in the
// contact's time zone, across a DST change). Actions are in harness-actions.test.ts;
// the last test checks that the two files together cover every node in nodes/index.ts.
import { describe, expect, test } from 'vitest';
import fs from 'node:fs';
import { runPlugin } from '../../engine/testing/harness.js';
import { plugins } from '../../nodes/index.js';
import type { NodePlugin } from '../../engine/plugin/index.js';
import { evaluate } from '../../engine/plugin/conditions.js';

const node = (id: string): NodePlugin => {
  const p = plugins.find((x) => x.id === id);
  if (!p) throw new Error(`no built-in ${id}`);
  return p;
};
const NOW = '2030-03-01T12:00:00.000Z';

describe('triggers: each enters by next and describes the events that start it', () => {
  test('tend.trigger.event', async () => {
    const p = node('tend.trigger.event');
    const config = { eventType: 'checkout_started', correlationKey: 'properties.cart_id', where: { field: 'event.properties.total', op: 'gt', value: 10 } };
    expect((await runPlugin(p, { config, event: { type: 'checkout_started' } })).directive).toEqual({ kind: 'next', port: 'next' });
    expect(p.trigger!(config)).toEqual({ eventType: 'checkout_started', where: config.where, correlationKey: 'properties.cart_id' });
  });
  test('tend.trigger.score-threshold', async () => {
    const p = node('tend.trigger.score-threshold');
    expect((await runPlugin(p, { config: { threshold: 50 } })).directive.kind).toBe('next');
    expect(p.trigger!({ threshold: 50 }).eventType).toBe('tend.score_changed');
  });
  test('tend.trigger.stage-changed', async () => {
    const p = node('tend.trigger.stage-changed');
    expect((await runPlugin(p, { config: { to: 'MQL' } })).directive.kind).toBe('next');
    expect(p.trigger!({ to: 'MQL' })).toEqual({ eventType: 'tend.stage_changed', where: { all: [{ field: 'event.properties.to', op: 'eq', value: 'MQL' }] } });
  });
  test('tend.trigger.field-changed', async () => {
    const p = node('tend.trigger.field-changed');
    expect((await runPlugin(p, { config: { field: 'attributes.city' } })).directive.kind).toBe('next');
    expect(p.trigger!({ field: 'attributes.city', to: 'Berlin' }).eventType).toBe('tend.contact_changed');
  });
  test('tend.trigger.date-property', async () => {
    const p = node('tend.trigger.date-property');
    const config = { field: 'attributes.renewal_date', offset: '-30 days', atLocalTime: '09:00', yearly: true };
    expect((await runPlugin(p, { config })).directive.kind).toBe('next');
    expect(p.trigger!(config).dateSchedule).toEqual({ field: 'attributes.renewal_date', offset: '-30 days', atLocalTime: '09:00', yearly: true });
  });
  test('tend.trigger.segment-entered: optionally ends the run on leaving', async () => {
    const p = node('tend.trigger.segment-entered');
    expect((await runPlugin(p, { config: { segment: 'vip' } })).directive.kind).toBe('next');
    expect(p.trigger!({ segment: 'vip' })).toEqual({ eventType: 'tend.segment_entered', where: { field: 'event.properties.segment', op: 'eq', value: 'vip' } });
    const spec = p.trigger!({ segment: 'vip', exitWhenLeft: true });
    expect(spec.exitOn).toEqual({ all: [{ field: 'event.type', op: 'eq', value: 'tend.segment_left' }, { field: 'event.properties.segment', op: 'eq', value: 'vip' }] });
    expect(spec.exitReason).toBe('left segment vip');
  });
  test('tend.trigger.segment-left', async () => {
    const p = node('tend.trigger.segment-left');
    expect((await runPlugin(p, { config: { segment: 'active-buyers' } })).directive.kind).toBe('next');
    expect(p.trigger!({ segment: 'active-buyers' })).toEqual({ eventType: 'tend.segment_left', where: { field: 'event.properties.segment', op: 'eq', value: 'active-buyers' } });
  });
  test('tend.trigger.schedule: a cron schedule per audience, checked', async () => {
    const p = node('tend.trigger.schedule');
    const config = { cron: '0 9 * * 1', audience: { field: 'contact.tags', op: 'contains', value: 'newsletter' } };
    expect((await runPlugin(p, { config })).directive.kind).toBe('next');
    const spec = p.trigger!(config);
    expect(spec.calendar).toEqual(config);
    expect(spec.eventType).toBe('tend.schedule_reached');
    expect(p.trigger!({ cron: '0 9 * * 1' }).where).not.toEqual(spec.where); // another audience, another signature
    await expect(runPlugin(p, { config: { cron: '0 9 * *' } })).rejects.toThrow(/\/cron/);
    await expect(runPlugin(p, { config: { cron: '0 25 * * 1' } })).rejects.toThrow(/\/cron/);
    await expect(runPlugin(p, { config: { cron: '0 9 * * 1', audience: { field: 'event.type', op: 'eq', value: 'x' } } })).rejects.toThrow(/\/audience\/field/);
  });
  test('tend.trigger.readiness: an upward crossing of the predicted readiness', async () => {
    const p = node('tend.trigger.readiness');
    expect((await runPlugin(p, { config: { threshold: 75 } })).directive.kind).toBe('next');
    const spec = p.trigger!({ threshold: 75 });
    expect(spec.eventType).toBe('tend.contact_changed');
    const crossing = (from: unknown, to: unknown) => evaluate(spec.where!, { event: { properties: { changes: { attributes: { readiness: { from, to } } } } } });
    expect(crossing(60, 80)).toBe(true);
    expect(crossing(null, 75)).toBe(true);
    expect(crossing(80, 90)).toBe(false);
    expect(crossing(80, 60)).toBe(false);
    expect(p.trigger!({ threshold: 50, field: 'buy_signal' }).where).toMatchObject({ all: [{ field: 'event.properties.changes.attributes.buy_signal.to' }, expect.anything()] });
  });
  test('tend.trigger.enrolled', async () => {
    const p = node('tend.trigger.enrolled');
    expect((await runPlugin(p, { config: {} })).directive.kind).toBe('next');
    expect(p.trigger!({})).toEqual({ eventType: 'tend.enroll_requested', addressed: true });
  });
  test('tend.trigger.page-visit: a pattern; N views in a window (matching pages, or any with the pattern among them); time on page', async () => {
    const p = node('tend.trigger.page-visit');
    expect((await runPlugin(p, { config: { pattern: '/pricing*' }, event: { type: 'page_view', properties: { path: '/pricing/teams' } } })).directive).toEqual({ kind: 'next', port: 'next' });
    const pricing = { field: 'event.properties.path', op: 'glob', value: '/pricing*' };
    expect(p.trigger!({ pattern: '/pricing*' })).toEqual({ eventType: 'page_view', where: pricing });
    expect(p.trigger!({ pattern: 'https://shop.example/*' }).where).toEqual({ field: 'event.properties.url', op: 'glob', value: 'https://shop.example/*' });
    expect(p.trigger!({ pattern: '/pricing*', views: { count: 3, within: '7 days', pages: 'matching' } })).toEqual({
      eventType: 'page_view', where: pricing, history: { counts: [{ eventType: 'page_view', where: pricing, within: '7 days', atLeast: 3 }], crossing: true },
    });
    expect(p.trigger!({ pattern: '/pricing*', views: { count: 18, within: '7 days', pages: 'any' } })).toEqual({
      eventType: 'page_view', where: undefined,
      history: { counts: [{ eventType: 'page_view', where: undefined, within: '7 days', atLeast: 18 }, { eventType: 'page_view', where: pricing, within: '7 days', atLeast: 1 }], crossing: true },
    });
    expect(p.trigger!({ pattern: '/pricing*', views: { count: 3, within: '7 days', pages: 'matching' }, minSeconds: 30 }).history).toEqual({
      counts: [{ eventType: 'page_view', where: pricing, within: '7 days', atLeast: 3 }], crossing: false,
    });
    expect(p.trigger!({ pattern: '/pricing*', minSeconds: 30 })).toEqual({
      eventType: 'page_left', where: { all: [pricing, { field: 'event.properties.seconds', op: 'gte', value: 30 }] },
    });
  });
  test('tend.trigger.form-submitted: any form, or one', async () => {
    const p = node('tend.trigger.form-submitted');
    expect((await runPlugin(p, { config: {} })).directive.kind).toBe('next');
    expect(p.trigger!({})).toEqual({ eventType: 'form_submitted' });
    const formId = '7a1c7e2e-6f0e-4c57-9d7e-1b1c1f1d0a01';
    expect(p.trigger!({ formId })).toEqual({ eventType: 'form_submitted', where: { field: 'event.properties.formId', op: 'eq', value: formId } });
  });
});

describe('waits', () => {
  test('tend.wait.duration sleeps from now, calendar months included', async () => {
    const p = node('tend.wait.duration');
    expect((await runPlugin(p, { config: { duration: '3 days' }, now: NOW })).directive).toEqual({ kind: 'sleep', until: '2030-03-04T12:00:00.000Z', port: 'next' });
    expect((await runPlugin(p, { config: { duration: '1 month' }, now: '2030-01-31T08:00:00.000Z' })).directive).toMatchObject({ until: '2030-02-28T08:00:00.000Z' });
  });

  test('tend.wait.until: a contact date minus an offset, at 09:00 in the contact’s zone, on both sides of a DST change', async () => {
    const p = node('tend.wait.until');
    const config = { property: 'contact.attributes.renewal_date', offset: '-2 days', atLocalTime: '09:00' };
    // 2030-03-10 is the US switch to summer time: 09:00 New York is 14:00Z before it, 13:00Z after.
    const before = await runPlugin(p, { config, now: NOW, contact: { timezone: 'America/New_York', attributes: { renewal_date: '2030-03-11T12:00:00Z' } } });
    expect(before.directive).toEqual({ kind: 'sleep', until: '2030-03-09T14:00:00.000Z', port: 'next' });
    const after = await runPlugin(p, { config, now: NOW, contact: { timezone: 'America/New_York', attributes: { renewal_date: '2030-03-14T12:00:00Z' } } });
    expect(after.directive).toEqual({ kind: 'sleep', until: '2030-03-12T13:00:00.000Z', port: 'next' });
    const tokyo = await runPlugin(p, { config, now: NOW, contact: { timezone: 'Asia/Tokyo', attributes: { renewal_date: '2030-03-14T12:00:00Z' } } });
    expect(tokyo.directive).toMatchObject({ until: '2030-03-12T00:00:00.000Z' });
  });

  test('tend.wait.best-time: the contact\'s own best hour in their zone, now when it is that hour, the default hour without history, at once beyond the window', async () => {
    const p = node('tend.wait.best-time');
    const opens = (...isos: string[]) => isos.map((occurredAt) => ({ type: 'email_opened', occurredAt }));
    // Three opens at 07:xx Berlin (06:xxZ in winter): the run waits for tomorrow 07:00 Berlin.
    const berlin = { timezone: 'Europe/Berlin' };
    const history = opens('2030-02-20T06:10:00Z', '2030-02-22T06:40:00Z', '2030-02-25T06:05:00Z', '2030-02-26T18:00:00Z');
    expect((await runPlugin(p, { config: { within: '24 hours' }, now: NOW, contact: berlin, history })).directive).toEqual({ kind: 'sleep', until: '2030-03-02T06:00:00.000Z', port: 'next' });
    // Within that hour: at once.
    expect((await runPlugin(p, { config: { within: '24 hours' }, now: '2030-03-02T06:30:00Z', contact: berlin, history })).directive).toEqual({ kind: 'next', port: 'next' });
    // Clicks count too; two signals are too few: the default hour, 10:00 in their zone (UTC without one).
    expect((await runPlugin(p, { config: { within: '24 hours' }, now: NOW, history: [...opens('2030-02-20T21:00:00Z'), { type: 'email_clicked', occurredAt: '2030-02-21T21:00:00Z' }] })).directive).toEqual({ kind: 'sleep', until: '2030-03-02T10:00:00.000Z', port: 'next' });
    // Tomorrow 07:00 Berlin is 18 hours away: beyond a 6-hour window, go on at once.
    expect((await runPlugin(p, { config: { within: '6 hours' }, now: NOW, contact: berlin, history })).directive).toEqual({ kind: 'next', port: 'next' });
  });

  test('tend.logic.throttle: alone in its queue (a simulation has one contact), it goes on at once', async () => {
    const p = node('tend.logic.throttle');
    expect((await runPlugin(p, { config: { max: 60, per: '1 minute' }, now: NOW })).directive).toEqual({ kind: 'next', port: 'next' });
    expect(p.waitingLabel).toBe('queued');
  });

  test('tend.wait.until: no time zone means UTC; a past date goes straight on; no date leaves by missing', async () => {
    const p = node('tend.wait.until');
    const config = { property: 'event.properties.delivery', atLocalTime: '18:30' };
    expect((await runPlugin(p, { config, now: NOW, event: { properties: { delivery: '2030-03-05' } } })).directive).toMatchObject({ kind: 'sleep', until: '2030-03-05T18:30:00.000Z' });
    expect((await runPlugin(p, { config, now: NOW, event: { properties: { delivery: '2029-12-24' } } })).directive).toEqual({ kind: 'next', port: 'next' });
    expect((await runPlugin(p, { config, now: NOW, event: { properties: {} } })).directive).toEqual({ kind: 'next', port: 'missing' });
    expect((await runPlugin(p, { config: { date: '2031-01-01T00:00:00Z' }, now: NOW })).directive).toMatchObject({ until: '2031-01-01T00:00:00.000Z' });
  });

  test('tend.wait.event: waits with a timeout, on the run’s correlation key or on its own emails', async () => {
    const p = node('tend.wait.event');
    const keyed = await runPlugin(p, { config: { eventType: 'order_completed', timeout: '4 hours' }, now: NOW, enrollment: { key: 'cart-7', keyPath: 'properties.cart_id' } });
    expect(keyed.directive).toEqual({
      kind: 'waitForEvent', until: '2030-03-01T16:00:00.000Z', eventPort: 'event', timeoutPort: 'timeout',
      match: { type: 'order_completed', where: undefined, correlate: { path: 'properties.cart_id', value: 'cart-7' } },
    });
    const anyKey = await runPlugin(p, { config: { eventType: 'order_completed', timeout: '1 day', sameKey: false }, now: NOW, enrollment: { key: 'cart-7', keyPath: 'properties.cart_id' } });
    expect(anyKey.directive).toMatchObject({ match: { correlate: undefined } });
    const clicks = await runPlugin(p, { config: { eventType: 'email_clicked', timeout: '2 days', fromThisRun: true }, now: NOW, enrollment: { id: 'run-1' } });
    expect(clicks.directive).toMatchObject({ match: { type: 'email_clicked', correlate: { path: 'properties.enrollmentId', value: 'run-1' } } });
  });
});

describe('logic', () => {
  const vip = { field: 'contact.tags', op: 'contains', value: 'vip' };
  test('tend.logic.if: yes and no, on contact, event and received facts', async () => {
    const p = node('tend.logic.if');
    expect((await runPlugin(p, { config: { condition: vip }, contact: { tags: ['vip'] } })).directive).toEqual({ kind: 'next', port: 'yes' });
    expect((await runPlugin(p, { config: { condition: vip }, contact: { tags: [] } })).directive).toEqual({ kind: 'next', port: 'no' });
    const answer = { condition: { field: 'received.properties.answer', op: 'eq', value: 'yes' } };
    expect((await runPlugin(p, { config: answer, received: { type: 'survey', properties: { answer: 'YES' } } })).directive).toEqual({ kind: 'next', port: 'yes' });
    expect((await runPlugin(p, { config: answer, received: null })).directive).toEqual({ kind: 'next', port: 'no' });
    const big = { condition: { field: 'event.properties.total', op: 'gte', value: 100 } };
    expect((await runPlugin(p, { config: big, event: { properties: { total: 99 } } })).directive).toMatchObject({ port: 'no' });
  });

  test('tend.logic.if: facts about past events, counted within a window', async () => {
    const p = node('tend.logic.if');
    const clickedTwice = { condition: { fact: 'count', event: 'email_clicked', within: '3 days', where: { field: 'event.properties.messageId', op: 'eq', value: 'm1' }, op: 'gte', value: 2 } };
    const click = (daysAgo: number, messageId = 'm1') => ({ type: 'email_clicked', properties: { messageId }, occurredAt: new Date(Date.parse(NOW) - daysAgo * 86_400_000).toISOString() });
    expect((await runPlugin(p, { config: clickedTwice, now: NOW, history: [click(1), click(2)] })).directive).toMatchObject({ port: 'yes' });
    expect((await runPlugin(p, { config: clickedTwice, now: NOW, history: [click(1), click(4)] })).directive).toMatchObject({ port: 'no' });
    expect((await runPlugin(p, { config: clickedTwice, now: NOW, history: [click(1), click(1, 'm2')] })).directive).toMatchObject({ port: 'no' });
    const spent = { condition: { fact: 'sum', event: 'order', property: 'properties.value', op: 'gte', value: 500 } };
    const order = (value: unknown) => ({ type: 'order', properties: { value }, occurredAt: '2029-01-01T00:00:00.000Z' });
    expect((await runPlugin(p, { config: spent, now: NOW, history: [order(300), order('250'), order('n/a')] })).directive).toMatchObject({ port: 'yes' });
    expect((await runPlugin(p, { config: spent, now: NOW, history: [order(300)] })).directive).toMatchObject({ port: 'no' });
  });

  test('tend.logic.switch: the first case that holds, else otherwise', async () => {
    const p = node('tend.logic.switch');
    const config = { cases: [
      { name: 'north', condition: { field: 'contact.attributes.region', op: 'in', value: ['DK', 'SE'] } },
      { name: 'south', condition: { field: 'contact.attributes.region', op: 'eq', value: 'IT' } },
    ] };
    expect((await runPlugin(p, { config, contact: { attributes: { region: 'SE' } } })).directive).toEqual({ kind: 'next', port: 'north' });
    expect((await runPlugin(p, { config, contact: { attributes: { region: 'IT' } } })).directive).toEqual({ kind: 'next', port: 'south' });
    expect((await runPlugin(p, { config, contact: { attributes: {} } })).directive).toEqual({ kind: 'next', port: 'otherwise' });
  });

  test('tend.logic.experiment: holdout, weighted variants until a winner, then the winner; assignments recorded', async () => {
    const p = node('tend.logic.experiment');
    const config = { variants: [{ name: 'a', weight: 50 }, { name: 'b', weight: 50 }], holdoutPercent: 20, metric: 'conversion', conversionEvent: 'purchased', window: '3 days', minSample: 100 };
    const ports: Record<string, number> = {};
    for (let i = 0; i < 300; i++) {
      const out = await runPlugin(p, { config, contact: { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` } });
      const port = (out.directive as { port: string }).port;
      ports[port] = (ports[port] ?? 0) + 1;
      expect(out.effects.events).toEqual([{ key: expect.any(String), type: 'tend.experiment_assigned', properties: expect.objectContaining({ variant: port, node: 'node', decided: false }) }]);
    }
    expect(ports.holdout).toBeGreaterThan(30);
    expect(ports.holdout).toBeLessThan(90);
    expect(ports.a! + ports.b!).toBe(300 - ports.holdout!);
    expect(Math.min(ports.a!, ports.b!)).toBeGreaterThan(80);
    const decided = { winner: 'b', results: [] };
    for (let i = 0; i < 50; i++) {
      const out = await runPlugin(p, { config, experiment: decided, contact: { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` } });
      expect(['b', 'holdout']).toContain((out.directive as { port: string }).port);
    }
    await expect(runPlugin(p, { config: { ...config, conversionEvent: undefined } })).rejects.toThrow(/\/conversionEvent/);
    await expect(runPlugin(p, { config: { ...config, variants: [{ name: 'holdout', weight: 1 }, { name: 'b', weight: 1 }] } })).rejects.toThrow(/\/variants\/0\/name/);
  });

  test('tend.wait.condition: met at once, else again on the next event or at the deadline, then timeout', async () => {
    const p = node('tend.wait.condition');
    const config = { condition: { field: 'contact.score', op: 'gte', value: 50 }, timeout: '3 days' };
    expect((await runPlugin(p, { config, contact: { score: 60 } })).directive).toEqual({ kind: 'next', port: 'met' });
    const arrivedAt = '2030-03-01T00:00:00.000Z';
    expect((await runPlugin(p, { config, contact: { score: 10 }, now: '2030-03-02T00:00:00.000Z', node: { arrivedAt } })).directive)
      .toEqual({ kind: 'again', until: '2030-03-04T00:00:00.000Z', reason: 'waiting for a condition', orOnEvent: true });
    expect((await runPlugin(p, { config, contact: { score: 10 }, now: '2030-03-04T00:00:00.000Z', node: { arrivedAt } })).directive).toEqual({ kind: 'next', port: 'timeout' });
    const twice = { condition: { fact: 'count', event: 'order', op: 'gte', value: 2 }, timeout: '1 day' };
    expect((await runPlugin(p, { config: twice, history: [{ type: 'order', occurredAt: '2029-12-31T00:00:00.000Z' }, { type: 'order', occurredAt: '2029-12-31T01:00:00.000Z' }] })).directive).toMatchObject({ port: 'met' });
  });

  test('tend.logic.goal: goes on by next; declares its condition as the goal', async () => {
    const p = node('tend.logic.goal');
    const config = { condition: { field: 'event.type', op: 'eq', value: 'purchased' } };
    expect((await runPlugin(p, { config })).directive).toEqual({ kind: 'next', port: 'next' });
    expect(p.goal!(config)).toEqual(config.condition);
    await expect(runPlugin(p, { config: { condition: { field: 'received.type', op: 'eq', value: 'x' } } })).rejects.toThrow(/\/condition\/field/);
  });

  test('tend.logic.split: sticky per contact, and by weight', async () => {
    const p = node('tend.logic.split');
    const variants = (a: number, b: number) => ({ variants: [{ name: 'a', weight: a }, { name: 'b', weight: b }] });
    expect((await runPlugin(p, { config: variants(100, 0) })).directive).toMatchObject({ port: 'a' });
    expect((await runPlugin(p, { config: variants(0, 100) })).directive).toMatchObject({ port: 'b' });
    const ports: string[] = [];
    for (let i = 0; i < 200; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const first = (await runPlugin(p, { config: variants(50, 50), contact: { id } })).directive;
      const again = (await runPlugin(p, { config: variants(50, 50), contact: { id } })).directive;
      expect(again).toEqual(first);
      ports.push((first as { port: string }).port);
    }
    const a = ports.filter((x) => x === 'a').length;
    expect(a).toBeGreaterThan(60);
    expect(a).toBeLessThan(140);
  });

  test('tend.logic.loop: again while rounds are left, then done', async () => {
    const p = node('tend.logic.loop');
    const ports = [];
    for (let visit = 1; visit <= 4; visit++) ports.push(((await runPlugin(p, { config: { times: 3 }, visit })).directive as { port: string }).port);
    expect(ports).toEqual(['again', 'again', 'again', 'done']);
  });

  test('tend.logic.exit: ends the run with its reason', async () => {
    const p = node('tend.logic.exit');
    expect((await runPlugin(p, { config: { reason: 'bought already' } })).directive).toEqual({ kind: 'exit', reason: 'bought already' });
    expect((await runPlugin(p, { config: {} })).directive).toEqual({ kind: 'exit', reason: 'exit node' });
  });
});

test('every built-in node has harness tests (here or in harness-actions.test.ts)', () => {
  const sources = ['harness-builtins.test.ts', 'harness-actions.test.ts'].map((f) => fs.readFileSync(new URL(f, import.meta.url), 'utf8')).join('\n');
  const untested = plugins.map((p) => p.id).filter((id) => !sources.includes(`node('${id}')`));
  expect(untested).toEqual([]);
});
