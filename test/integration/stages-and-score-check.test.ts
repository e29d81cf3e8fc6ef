// Lifecycle stages (the ordered list, the funnel counted from contacts' stage attribute,
// the list offered to the editor through the catalogue) and "what would this contact's
// score be" (the rules in force applied to a contact as they are, caps counted, nothing
// written).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
beforeAll(async () => { tend = await startTend(); });
afterAll(async () => { await tend?.stop(); });

const upsert = async (email: string, attributes: Record<string, unknown> = {}) => {
  const res = await tend.api('PUT', '/api/contacts', { email, attributes });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body.id as string;
};

describe('lifecycle stages', () => {
  test('the default list, a replaced one, and refusals naming the stage', async () => {
    expect((await tend.api('GET', '/api/stages')).body).toEqual({ stages: ['subscriber', 'lead', 'MQL', 'SQL', 'opportunity', 'customer'] });
    const twice = await tend.api('PUT', '/api/stages', { stages: ['lead', 'MQL', 'mql'] });
    expect(twice.status).toBe(422);
    expect(twice.body.errors).toEqual([{ path: '/stages/2', message: '"mql" is already stage 2' }]);
    const odd = await tend.api('PUT', '/api/stages', { stages: ['lead', 'MQL<script>'] });
    expect(odd.status).toBe(422);
    expect(odd.body.errors[0].path).toBe('/stages/1');
    expect((await tend.api('PUT', '/api/stages', { stages: [] })).status).toBe(422);
    expect((await tend.api('GET', '/api/stages')).body.stages).toHaveLength(6); // nothing half-stored

    const read = (await tend.api('POST', '/api/keys', { name: 'reader', scope: 'read' })).body.key as string;
    const asReader = await fetch(`${tend.url}/api/stages`, { method: 'PUT', headers: { authorization: `Bearer ${read}`, 'content-type': 'application/json' }, body: JSON.stringify({ stages: ['x'] }) });
    expect(asReader.status).toBe(403);

    expect((await tend.api('PUT', '/api/stages', { stages: ['lead', 'MQL', 'customer'] })).body).toEqual({ stages: ['lead', 'MQL', 'customer'] });
    expect((await tend.api('GET', '/api/stages')).body).toEqual({ stages: ['lead', 'MQL', 'customer'] });
    // Only the change that succeeded is in the audit log.
    await tend.until(async () => (await tend.sql("SELECT 1 FROM audit_log WHERE action = 'PUT /api/stages'")).length === 1, 'the audit entry');
  });

  test('the funnel counts contacts at each stage and at it or later; others are named apart', async () => {
    for (let i = 0; i < 3; i++) await upsert(`lead${i}@example.com`, { stage: 'lead' });
    for (let i = 0; i < 2; i++) await upsert(`mql${i}@example.com`, { stage: 'MQL' });
    await upsert('buyer@example.com', { stage: 'customer' });
    await upsert('partner@example.com', { stage: 'partner' });
    await upsert('nobody1@example.com');
    await upsert('nobody2@example.com');
    const funnel = (await tend.api('GET', '/api/stages/funnel')).body;
    expect(funnel).toEqual({
      stages: [{ stage: 'lead', contacts: 3, reached: 6 }, { stage: 'MQL', contacts: 2, reached: 3 }, { stage: 'customer', contacts: 1, reached: 1 }],
      elsewhere: [{ stage: 'partner', contacts: 1 }],
      none: 2,
    });
  });

  test('the catalogue offers the stages to the editor, in order, before the values seen', async () => {
    const catalogue = (await tend.api('GET', '/api/catalogue')).body;
    expect(catalogue.stages).toEqual(['lead', 'MQL', 'customer']);
    const stage = catalogue.attributes.find((a: { path: string }) => a.path === 'contact.attributes.stage');
    expect(stage.examples.slice(0, 3)).toEqual(['lead', 'MQL', 'customer']);
  });
});

describe('what would this contact\'s score be', () => {
  test('the rules in force, with caps counted and reasons given, and nothing written', async () => {
    const rule = async (body: Record<string, unknown>) => {
      const res = await tend.api('POST', '/api/scoring-rules', body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    const pricing = await rule({ name: 'Viewed pricing', eventType: 'page_view', where: { field: 'event.properties.path', op: 'startsWith', value: '/pricing' }, points: 5, cap: { points: 10, per: '1 day' } });
    const anyPage = await rule({ name: 'Any page', eventType: 'page_view', points: 1 });
    const off = await rule({ name: 'Switched off', eventType: 'page_view', points: 50, active: false });
    const email = 'checked@example.com';
    const contactId = await upsert(email);
    for (let i = 0; i < 2; i++) await tend.event({ type: 'page_view', email, properties: { path: '/pricing' } });
    const score = async () => (await tend.api('GET', `/api/contacts/${contactId}`)).body.score as number;
    await tend.until(async () => (await score()) === 12, 'a score of 12');
    const awards = async () => (await tend.sql<{ n: number }>('SELECT count(*)::int AS n FROM score_awards'))[0]!.n;
    const before = await awards();

    const capped = await tend.api('POST', '/api/scoring-rules/check', { email: 'Checked@Example.com', eventType: 'page_view', properties: { path: '/pricing/teams' } });
    expect(capped.status, JSON.stringify(capped.body)).toBe(200);
    expect(capped.body).toEqual({
      score: 12, scoreAfter: 13,
      rules: [
        { id: pricing, name: 'Viewed pricing', points: 0, why: 'its cap is used up: 10 of 10 points within 1 day' },
        { id: anyPage, name: 'Any page', points: 1 },
      ],
    });
    expect(capped.body.rules.map((r: { id: string }) => r.id)).not.toContain(off);

    const elsewhere = await tend.api('POST', '/api/scoring-rules/check', { contactId, eventType: 'page_view', properties: { path: '/blog' } });
    expect(elsewhere.body.rules[0]).toEqual({ id: pricing, name: 'Viewed pricing', points: 0, why: 'its condition does not hold for this event' });
    expect((await tend.api('POST', '/api/scoring-rules/check', { contactId, eventType: 'signed_up' })).body).toEqual({ score: 12, scoreAfter: 12, rules: [] });

    // A fresh contact is not capped.
    const fresh = await upsert('fresh@example.com');
    expect((await tend.api('POST', '/api/scoring-rules/check', { contactId: fresh, eventType: 'page_view', properties: { path: '/pricing' } })).body.scoreAfter).toBe(6);

    // Nothing was written: no award, no score change, no event.
    expect(await awards()).toBe(before);
    expect(await score()).toBe(12);
    expect((await tend.sql<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE contact_id = $1 AND type = 'page_view'", [contactId]))[0]!.n).toBe(2);
  });

  test('a read key may check; bad input names the field', async () => {
    const read = (await tend.api('POST', '/api/keys', { name: 'checker', scope: 'read' })).body.key as string;
    const post = (body: unknown, key = read) => fetch(`${tend.url}/api/scoring-rules/check`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect((await post({ email: 'checked@example.com', eventType: 'page_view' })).status).toBe(200);
    const unknown = await post({ email: 'nobody-here@example.com', eventType: 'page_view' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].path).toBe('/email');
    const both = await post({ email: 'checked@example.com', contactId: '00000000-0000-4000-8000-000000000000', eventType: 'page_view' });
    expect(both.status).toBe(422);
    expect(both.body.errors[0].path).toBe('/contactId');
    const neither = await post({ eventType: 'page_view' });
    expect(neither.status).toBe(422);
    const badType = await post({ email: 'checked@example.com', eventType: 'page view; DROP TABLE' });
    expect(badType.status).toBe(422);
    expect(badType.body.errors[0].path).toBe('/eventType');
    const badId = await post({ contactId: 'not-a-uuid', eventType: 'page_view' });
    expect(badId.status).toBe(422);
    expect(badId.body.errors[0].path).toBe('/contactId');
  });
});
