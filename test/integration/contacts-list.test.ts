// The contacts list as the Contacts screen reads it: keyset pages (`next` → ?after=)
// that return every contact once, in order, even when many were created in the same
// instant; filters by tag and by segment; a cursor that Tend did not give is refused.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
beforeAll(async () => {
  tend = await startTend({ worker: false });
  // 1,200 contacts in one statement: they share one created_at (now() of the transaction).
  await tend.sql("INSERT INTO contacts (email, tags) SELECT 'p' || g || '@example.com', CASE WHEN g % 3 = 0 THEN ARRAY['vip'] ELSE ARRAY[]::text[] END FROM generate_series(1, 1200) g");
});
afterAll(async () => { await tend?.stop(); });

test('keyset pages give every contact once, in order', async () => {
  const seen: string[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const res: { status: number; body: any } = await tend.api('GET', `/api/contacts?limit=500${after ? `&after=${after}` : ''}`);
    expect(res.status).toBe(200);
    // Counted on the first page only: the pages after it carry on from it.
    expect(res.body.total).toBe(after ? null : 1200);
    seen.push(...res.body.contacts.map((c: { id: string }) => c.id));
    after = res.body.next;
    pages += 1;
  } while (after && pages < 10);
  expect(pages).toBe(3);
  expect(seen).toHaveLength(1200);
  expect(new Set(seen).size).toBe(1200);
  const ordered = (await tend.sql<{ id: string }>('SELECT id FROM contacts ORDER BY created_at, id')).map((r) => r.id);
  expect(seen).toEqual(ordered);
});

test('filters: a tag, a segment (by key or id), a search', async () => {
  const vip = await tend.api('GET', '/api/contacts?tag=vip&limit=1');
  expect(vip.body.total).toBe(400);
  expect(vip.body.contacts[0].tags).toEqual(['vip']);
  const segment = (await tend.api('POST', '/api/segments', { key: 'vips', name: 'VIPs', condition: { field: 'contact.tags', op: 'contains', value: 'vip' } })).body;
  expect((await tend.api('GET', '/api/contacts?segment=vips&limit=5')).body.total).toBe(400);
  expect((await tend.api('GET', `/api/contacts?segment=${segment.id}&limit=5`)).body.total).toBe(400);
  expect((await tend.api('GET', '/api/contacts?segment=nobody-has-this&limit=5')).body).toMatchObject({ total: 0, contacts: [], next: null });
  const found = await tend.api('GET', '/api/contacts?q=p120@&tag=vip');
  expect(found.body.contacts.map((c: { email: string }) => c.email)).toEqual(['p120@example.com']);
});

test('a cursor Tend did not give, or one with an offset, is refused naming ?after', async () => {
  for (const after of ['nonsense', Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', 'not-a-uuid'])).toString('base64url'), Buffer.from('[1,2]').toString('base64url')]) {
    const res = await tend.api('GET', `/api/contacts?after=${after}`);
    expect(res.status, after).toBe(422);
    expect(res.body.errors[0].path).toBe('?after');
  }
  const next = (await tend.api('GET', '/api/contacts?limit=10')).body.next;
  const both = await tend.api('GET', `/api/contacts?limit=10&offset=10&after=${next}`);
  expect(both.status).toBe(400);
  expect(both.body.errors[0].message).toContain('not both');
});
