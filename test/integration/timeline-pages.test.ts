// A contact's timeline stops at its limit and says so: `truncated` and a `next` cursor
// that continues exactly where the page ended, until the whole history has been read.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
beforeAll(async () => { tend = await startTend({ worker: false }); });
afterAll(async () => { await tend?.stop(); });

test('paging a 25-event timeline 10 at a time gives every entry once, in order', async () => {
  const events = Array.from({ length: 25 }, (_, i) => ({ type: 'page_view', email: 'reader@example.com', properties: { n: i }, occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() }));
  expect((await tend.api('POST', '/api/events/batch', { events })).status).toBe(202);
  const contact = (await tend.api('GET', '/api/contacts?email=reader@example.com')).body.contacts[0];
  const seen: number[] = [];
  let after: string | undefined;
  let pages = 0;
  for (;;) {
    const page = (await tend.api('GET', `/api/contacts/${contact.id}/timeline?limit=10${after ? `&after=${after}` : ''}`)).body;
    pages++;
    seen.push(...page.entries.filter((e: { kind: string; type: string }) => e.kind === 'event' && e.type === 'page_view').map((e: { properties: { n: number } }) => e.properties.n));
    if (!page.truncated) { expect(page.next).toBeUndefined(); break; }
    expect(page.entries).toHaveLength(10);
    after = page.next;
  }
  expect(pages).toBe(3);
  expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i));
  const bad = await tend.api('GET', `/api/contacts/${contact.id}/timeline?after=not-a-cursor`);
  expect(bad.status).toBe(422);
  expect(bad.body.errors[0].path).toBe('/query/after');
});
