// One condition language, two evaluators: conditions compiled to SQL (segments) must
// agree with `evaluate()` (if/else, triggers) on every operator, for values of every
// JSON type, and facts in SQL with `measureEvents` over the same events.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { evaluate, measureEvents, OPERATORS, type Condition, type Fact } from '../../engine/plugin/conditions.js';
import { conditionSql, Params } from '../../engine/storage/condition-sql.js';
import type { Contact, TendEvent } from '../../engine/plugin/index.js';

let tend: Tend;
let contacts: Contact[];
beforeAll(async () => {
  tend = await startTend({ worker: false });
  const values: unknown[] = [5, '5', ' 5 ', '5.0', 'abc', 'ABC', 'Abcdef', '', null, true, false, [1, 'a'], { x: 1 }, 10, '10', -3, 'b', 0, 'ümlaut', '50%', 'a_c', 'line\nbreak'];
  for (const [i, v] of [...values, undefined].entries()) {
    const attributes = v === undefined ? {} : { v };
    await tend.sql(
      'INSERT INTO contacts (email, attributes, tags, score, consent, unsubscribed_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [`C${i}@Example.com`.toLowerCase(), JSON.stringify(attributes), i % 3 ? ['vip', 'Beta'] : [], i - 5, JSON.stringify(i % 2 ? { email: false } : {}), i % 4 ? null : new Date()],
    );
  }
  contacts = (await tend.api('GET', '/api/contacts?limit=500')).body.contacts;
});
afterAll(async () => {
  await tend?.stop();
});

async function sqlMembers(cond: Condition, now = new Date()): Promise<Set<string>> {
  const params = new Params();
  const rows = await tend.sql<{ id: string }>(`SELECT c.id FROM contacts c WHERE ${conditionSql(cond, params, now)}`, params.values);
  return new Set(rows.map((r) => r.id));
}

test('every operator on every kind of value: SQL and evaluate() pick the same contacts', async () => {
  const fields = ['contact.attributes.v', 'contact.attributes.v.x', 'contact.attributes.v.0', 'contact.score', 'contact.tags', 'contact.email', 'contact.consent.email', 'contact.unsubscribed', 'contact.attributes.none'];
  const expected: unknown[] = [5, '5', 'abc', 'A', 10, '10', true, null, '', [1, 'a'], ['abc', 5, 'vip'], 'c1@example.com', 'beta', -1, false, '*b*', 'A?C', 'c*@example.com', '%', '_', '5*'];
  const mismatches: string[] = [];
  let checked = 0;
  for (const field of fields) {
    for (const op of OPERATORS) {
      const values = op === 'exists' || op === 'notExists' ? [undefined] : op === 'in' || op === 'nin' ? expected.filter(Array.isArray) : expected;
      for (const value of values) {
        const cond = { field, op, ...(value === undefined ? {} : { value }) } as Condition;
        const inSql = await sqlMembers(cond);
        for (const c of contacts) {
          checked++;
          if (evaluate(cond, { contact: c }) !== inSql.has(c.id)) mismatches.push(`${JSON.stringify(cond)} on ${JSON.stringify(c.attributes)} score ${c.score}`);
        }
      }
    }
  }
  expect(mismatches).toEqual([]);
  expect(checked).toBeGreaterThan(20_000);
});

test('all / any / not combine the same way, missing fields included', async () => {
  const conds: Condition[] = [
    { not: { field: 'contact.attributes.v', op: 'gt', value: 3 } },
    { any: [{ field: 'contact.tags', op: 'contains', value: 'VIP' }, { field: 'contact.attributes.v', op: 'startsWith', value: 'ab' }] },
    { all: [{ not: { field: 'contact.attributes.none', op: 'eq', value: 1 } }, { field: 'contact.unsubscribed', op: 'eq', value: false }] },
    { all: [] },
    { any: [] },
  ];
  for (const cond of conds) {
    const inSql = await sqlMembers(cond);
    expect(contacts.filter((c) => inSql.has(c.id)).map((c) => c.email), JSON.stringify(cond)).toEqual(contacts.filter((c) => evaluate(cond, { contact: c })).map((c) => c.email));
  }
});

test('facts: counts and sums over the events table equal measureEvents over the same events', async () => {
  const now = new Date();
  const ago = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
  const history: Record<string, TendEvent[]> = {};
  const plan: [number, string, Record<string, unknown>, number][] = [
    [0, 'order', { value: 100, channel: 'web' }, 1], [0, 'order', { value: '50', channel: 'shop' }, 40], [0, 'order', { value: 'n/a' }, 2],
    [1, 'order', { value: 600, channel: 'web' }, 200], [1, 'visit', { path: '/pricing' }, 1],
    [2, 'visit', { path: '/blog' }, 1], [2, 'visit', { path: '/pricing/team' }, 3],
  ];
  for (const [i, type, properties, days] of plan) {
    const c = contacts[i]!;
    const [row] = await tend.sql('INSERT INTO events (contact_id, type, properties, occurred_at) VALUES ($1, $2, $3, $4) RETURNING id', [c.id, type, JSON.stringify(properties), ago(days)]);
    (history[c.id] ??= []).push({ id: row.id, type, properties, occurredAt: ago(days) });
  }
  const facts: Fact[] = [
    { fact: 'count', event: 'order', op: 'gte', value: 2 },
    { fact: 'count', event: 'order', within: '30 days', op: 'gte', value: 1 },
    { fact: 'sum', event: 'order', property: 'properties.value', op: 'gte', value: 150 },
    { fact: 'sum', event: 'order', property: 'properties.value', within: '365 days', where: { field: 'event.properties.channel', op: 'eq', value: 'WEB' }, op: 'gt', value: 100 },
    { fact: 'count', event: 'visit', where: { field: 'event.properties.path', op: 'startsWith', value: '/pricing' }, op: 'eq', value: 0 },
    { fact: 'count', event: 'visit', within: '2 days', op: 'lt', value: 1 },
  ];
  for (const fact of facts) {
    const inSql = await sqlMembers(fact, now);
    const inJs = contacts.filter((c) => evaluate(fact, { contact: c, facts: (f) => measureEvents(history[c.id] ?? [], f, now) }));
    expect(contacts.filter((c) => inSql.has(c.id)).map((c) => c.email), JSON.stringify(fact)).toEqual(inJs.map((c) => c.email));
  }
});
