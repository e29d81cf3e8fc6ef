// Segments kept live: contacts enter and leave as their events and fields change and
// as windows pass (re-checked from a due queue, not by scanning), entering / leaving
// starts and ends programs, facts work in if/else, and the API previews, lists and
// refuses bad definitions without storing anything.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { recipient } from '../support/smtp.js';

let tend: Tend;
beforeAll(async () => {
  tend = await startTend();
});
afterAll(async () => {
  await tend?.stop();
});

const contactId = async (email: string) => (await tend.api('GET', `/api/contacts?email=${encodeURIComponent(email)}`)).body.contacts[0]?.id as string;
const members = async (segment: string) => ((await tend.api('GET', `/api/segments/${segment}/members`)).body.contacts as { email: string }[]).map((c) => c.email).sort();
const timelineTypes = async (email: string, prefix = 'tend.segment_') =>
  ((await tend.api('GET', `/api/contacts/${await contactId(email)}/timeline`)).body.entries as { kind: string; type?: string; properties?: Record<string, unknown> }[])
    .filter((e) => e.kind === 'event' && e.type!.startsWith(prefix))
    .map((e) => `${e.type!.replace(prefix, '')}:${e.properties!.segment}`);
const segment = async (body: Record<string, unknown>) => {
  const res = await tend.api('POST', '/api/segments', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};

describe('live membership', () => {
  test('events and fields move a contact in and out at once; a window passing takes them out; programs start and end on it', async () => {
    await segment({
      key: 'repeat-buyers',
      name: 'Repeat buyers (NL)',
      condition: { all: [{ field: 'contact.attributes.country', op: 'eq', value: 'NL' }, { fact: 'count', event: 'order_completed', within: '4 seconds', op: 'gte', value: 2 }] },
    });
    const whileIn = await tend.publish({
      format: 'tend.flow/v1',
      name: 'While a repeat buyer',
      nodes: [
        { id: 'in', type: 'tend.trigger.segment-entered', version: 1, config: { segment: 'repeat-buyers', exitWhenLeft: true } },
        { id: 'later', type: 'tend.wait.duration', version: 1, config: { duration: '1 hour' } },
        { id: 'perk', type: 'tend.action.email', version: 1, config: { subject: 'A perk for repeat buyers', html: '<p>Thanks</p>' } },
      ],
      edges: [{ id: 'e1', source: 'in', sourcePort: 'next', target: 'later' }, { id: 'e2', source: 'later', sourcePort: 'next', target: 'perk' }],
    });
    await tend.publish({
      format: 'tend.flow/v1',
      name: 'Lapsed buyer',
      nodes: [
        { id: 'out', type: 'tend.trigger.segment-left', version: 1, config: { segment: 'repeat-buyers' } },
        { id: 'miss', type: 'tend.action.email', version: 1, config: { subject: 'We miss you, {{contact.attributes.name}}', html: '<p>Come back</p>' } },
      ],
      edges: [{ id: 'e1', source: 'out', sourcePort: 'next', target: 'miss' }],
    });
    await tend.api('PUT', '/api/contacts', { email: 'ada@example.com', attributes: { country: 'NL', name: 'Ada' } });
    await tend.api('PUT', '/api/contacts', { email: 'bob@example.com', attributes: { country: 'DE', name: 'Bob' } });

    await tend.event({ type: 'order_completed', email: 'ada@example.com', properties: { value: 20 } });
    await tend.event({ type: 'order_completed', email: 'bob@example.com', properties: { value: 20 } });
    await new Promise((r) => setTimeout(r, 300));
    expect(await members('repeat-buyers')).toEqual([]); // one order is not enough
    await tend.event({ type: 'order_completed', email: 'ada@example.com', properties: { value: 30 } });
    await tend.event({ type: 'order_completed', email: 'bob@example.com', properties: { value: 30 } });
    await tend.until(async () => (await members('repeat-buyers')).length === 1, 'Ada in the segment');
    expect(await members('repeat-buyers')).toEqual(['ada@example.com']); // Bob is not in NL
    const ada = await contactId('ada@example.com');
    expect((await tend.api('GET', `/api/contacts/${ada}`)).body.segments).toEqual(['repeat-buyers']);
    await tend.until(async () => (await tend.sql("SELECT 1 FROM enrollments WHERE program_id = $1 AND status = 'active'", [whileIn])).length === 1, 'the run for Ada');

    // One re-check per contact with events in the window, due when the oldest leaves it.
    const firstOrder = (await tend.sql("SELECT min(occurred_at) AS at FROM events WHERE contact_id = $1 AND type = 'order_completed'", [ada]))[0].at as Date;
    const due = await tend.sql('SELECT contact_id, due_at FROM segment_rechecks');
    expect(due.length).toBe(2);
    expect(due.find((d) => d.contact_id === ada)!.due_at.getTime()).toBe(firstOrder.getTime() + 4000);

    // The window passes: Ada leaves, the run she was in ends, the lapsed-buyer program writes.
    await tend.until(async () => (await members('repeat-buyers')).length === 0, 'Ada out of the segment', 15_000);
    expect(await timelineTypes('ada@example.com')).toEqual(['entered:repeat-buyers', 'left:repeat-buyers']);
    const [mail] = await tend.mailbox.waitFor(1);
    expect(mail!.subject).toBe('We miss you, Ada');
    await tend.until(async () => (await tend.sql("SELECT 1 FROM enrollments WHERE program_id = $1 AND status = 'exited' AND exit_reason = 'left segment repeat-buyers'", [whileIn])).length === 1, 'the run ended by leaving');
    await tend.until(async () => (await tend.sql('SELECT 1 FROM segment_rechecks')).length === 0, 'no re-checks left once the windows are empty');
    expect(await timelineTypes('bob@example.com')).toEqual([]);

    // Back in with two new orders; then a field change takes her out at once.
    await tend.event({ type: 'order_completed', email: 'ada@example.com', properties: { value: 5 } });
    await tend.event({ type: 'order_completed', email: 'ada@example.com', properties: { value: 5 } });
    await tend.until(async () => (await members('repeat-buyers')).length === 1, 'Ada back in');
    await tend.api('PUT', '/api/contacts', { email: 'ada@example.com', attributes: { country: 'BE' } });
    await tend.until(async () => (await members('repeat-buyers')).length === 0, 'Ada out after moving');
    expect(await timelineTypes('ada@example.com')).toEqual(['entered:repeat-buyers', 'left:repeat-buyers', 'entered:repeat-buyers', 'left:repeat-buyers']);
    await tend.mailbox.waitFor(2);
    await new Promise((r) => setTimeout(r, 500));
    expect(tend.mailbox.messages.map((m) => m.subject)).toEqual(['We miss you, Ada', 'We miss you, Ada']); // never the perk
  });
});

describe('definitions, preview and facts', () => {
  test('a new segment takes its members quietly; sums, preview, membership on the contact; switched off it is empty', async () => {
    for (const [email, values] of [['carol@example.com', [300, 250]], ['dan@example.com', [100, 150]], ['eve@example.com', []]] as const) {
      await tend.api('PUT', '/api/contacts', { email, attributes: { plan: 'basic' } });
      for (const value of values) await tend.event({ type: 'purchase', email, properties: { value: String(value) } });
    }
    await tend.until(async () => (await tend.sql("SELECT 1 FROM outbox")).length === 0, 'events dispatched');
    const total = (min: number) => ({ fact: 'sum', event: 'purchase', property: 'properties.value', within: '365 days', op: 'gte', value: min });
    const preview = await tend.api('POST', '/api/segments/preview', { condition: total(200), sample: 5 });
    expect(preview.status).toBe(200);
    expect(preview.body.count).toBe(2);
    expect(preview.body.sample.map((c: { email: string }) => c.email).sort()).toEqual(['carol@example.com', 'dan@example.com']);
    const none = await tend.api('POST', '/api/segments/preview', { condition: { all: [total(1), { fact: 'count', event: 'purchase', op: 'eq', value: 0 }] } });
    expect(none.body.count).toBe(0);

    const created = await segment({ key: 'big-spenders', name: 'Big spenders', condition: total(500) });
    expect(created.members).toBe(1);
    expect(await members('big-spenders')).toEqual(['carol@example.com']);
    expect(await timelineTypes('carol@example.com')).toEqual([]); // defined afterwards: no entered event
    // Dan's next purchase takes him over 500, live.
    await tend.event({ type: 'purchase', email: 'dan@example.com', properties: { value: 260 } });
    await tend.until(async () => (await members('big-spenders')).length === 2, 'Dan in');
    expect(await timelineTypes('dan@example.com')).toEqual(['entered:big-spenders']);
    const list = (await tend.api('GET', '/api/segments')).body.segments as { key: string; members: number }[];
    expect(list.find((s) => s.key === 'big-spenders')!.members).toBe(2);

    const stored = async () => (await tend.sql("SELECT count(*)::int AS n FROM segment_members m JOIN segments s ON s.id = m.segment_id WHERE s.key = 'big-spenders'"))[0].n;
    expect((await tend.api('DELETE', '/api/segments/big-spenders')).status).toBe(204);
    expect(await stored()).toBe(0);
    // Deleted: gone from the API, deleted once, and nobody joins it any more.
    expect((await tend.api('GET', '/api/segments/big-spenders')).status).toBe(404);
    expect((await tend.api('GET', '/api/segments')).body.segments.map((s: { key: string }) => s.key)).not.toContain('big-spenders');
    expect((await tend.api('DELETE', '/api/segments/big-spenders')).status).toBe(404);
    expect((await tend.api('PUT', `/api/segments/${created.id}`, { key: 'big-spenders', name: 'Big spenders', condition: total(500) })).status).toBe(404);
    await tend.event({ type: 'purchase', email: 'eve@example.com', properties: { value: 900 } });
    await tend.until(async () => (await tend.sql("SELECT 1 FROM outbox")).length === 0, 'events dispatched');
    expect(await stored()).toBe(0);
    // Its key may be used again, for a new definition.
    const again = await segment({ key: 'big-spenders', name: 'Very big spenders', condition: total(1000) });
    expect(again.name).toBe('Very big spenders');
  });

  test('bad definitions are refused with the field named, and nothing is stored', async () => {
    const before = (await tend.api('GET', '/api/segments')).body.segments.length;
    const cases: [Record<string, unknown>, number, string][] = [
      [{ key: 'x', name: 'Event root', condition: { field: 'event.type', op: 'eq', value: 'a' } }, 422, '/condition/field'],
      [{ key: 'x', name: 'Sum without property', condition: { fact: 'sum', event: 'purchase', op: 'gt', value: 1 } }, 422, '/condition/property'],
      [{ key: 'x', name: 'Bad window', condition: { fact: 'count', event: 'purchase', within: 'soon', op: 'gt', value: 1 } }, 422, '/condition'],
      [{ key: 'x', name: 'Self', condition: { field: 'contact.segments', op: 'contains', value: 'x' } }, 422, '/condition'],
      [{ key: 'Not A Key', name: 'Key', condition: { field: 'contact.score', op: 'gt', value: 1 } }, 422, '/key'],
      [{ key: 'x', name: 'No value', condition: { field: 'contact.score', op: 'gt' } }, 422, '/condition/value'],
    ];
    for (const [body, status, path] of cases) {
      const res = await tend.api('POST', '/api/segments', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(JSON.stringify(res.body.errors ?? res.body)).toContain(path);
    }
    await segment({ key: 'scored', name: 'Scored', condition: { field: 'contact.score', op: 'gt', value: 10 } });
    expect((await tend.api('POST', '/api/segments', { key: 'scored', name: 'Again', condition: { field: 'contact.score', op: 'gt', value: 1 } })).status).toBe(409);
    expect((await tend.api('GET', '/api/segments')).body.segments.length).toBe(before + 1);
    expect((await tend.api('GET', '/api/segments/nope')).status).toBe(404);
  });

  test('if/else branches on a fact about past events and on segment membership', async () => {
    await segment({ key: 'vip', name: 'VIP', condition: { field: 'contact.tags', op: 'contains', value: 'vip' } });
    await tend.publish({
      format: 'tend.flow/v1',
      name: 'Checkout follow-up',
      nodes: [
        { id: 'visit', type: 'tend.trigger.event', version: 1, config: { eventType: 'checkout_visited' } },
        { id: 'vip', type: 'tend.logic.if', version: 1, config: { condition: { field: 'contact.segments', op: 'contains', value: 'vip' } } },
        { id: 'bought', type: 'tend.logic.if', version: 1, config: { condition: { fact: 'count', event: 'ordered', within: '1 day', where: { field: 'event.properties.total', op: 'gte', value: 50 }, op: 'gte', value: 1 } } },
        { id: 'vipMail', type: 'tend.action.email', version: 1, config: { subject: 'VIP checkout', html: '<p>v</p>' } },
        { id: 'again', type: 'tend.action.email', version: 1, config: { subject: 'Thanks again', html: '<p>a</p>' } },
        { id: 'first', type: 'tend.action.email', version: 1, config: { subject: 'Your first order?', html: '<p>f</p>' } },
      ],
      edges: [
        { id: 'e1', source: 'visit', sourcePort: 'next', target: 'vip' },
        { id: 'e2', source: 'vip', sourcePort: 'yes', target: 'vipMail' },
        { id: 'e3', source: 'vip', sourcePort: 'no', target: 'bought' },
        { id: 'e4', source: 'bought', sourcePort: 'yes', target: 'again' },
        { id: 'e5', source: 'bought', sourcePort: 'no', target: 'first' },
      ],
    });
    await tend.api('PUT', '/api/contacts', { email: 'vip@example.com', tags: ['vip'] });
    await tend.event({ type: 'ordered', email: 'big@example.com', properties: { total: 80 } });
    await tend.event({ type: 'ordered', email: 'small@example.com', properties: { total: 20 } });
    const seen = tend.mailbox.messages.length;
    for (const email of ['vip@example.com', 'big@example.com', 'small@example.com']) await tend.event({ type: 'checkout_visited', email });
    await tend.mailbox.waitFor(seen + 3);
    const got = Object.fromEntries(tend.mailbox.messages.slice(seen).map((m) => [recipient(m), m.subject]));
    expect(got).toEqual({ 'vip@example.com': 'VIP checkout', 'big@example.com': 'Thanks again', 'small@example.com': 'Your first order?' });
  });
});

test('a merged visitor is not a member: the known contact that absorbed it is', async () => {
  const key = (await tend.api('POST', '/api/site-keys', { name: 'www.example.com' })).body.key as string;
  const collect = (body: unknown) => fetch(`${tend.url}/t/collect`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ key, ...(body as object) }) });
  await tend.api('PUT', '/api/contacts', { email: 'known@example.com' });
  const seen = await collect({ anonymousId: 'visitor-merge-1', events: [{ type: 'clicked_banner' }] });
  expect(seen.status, await seen.text()).toBe(202);
  expect((await collect({ anonymousId: 'visitor-merge-1', identify: { email: 'known@example.com' } })).status).toBe(202);
  expect((await tend.sql('SELECT count(*)::int AS n FROM contacts WHERE merged_into IS NOT NULL'))[0].n).toBeGreaterThan(0);
  const listed = (await tend.api('GET', '/api/contacts?limit=500')).body.total as number;
  const everyone = { field: 'contact.score', op: 'gte', value: 0 };
  expect((await tend.api('POST', '/api/segments/preview', { condition: everyone })).body.count).toBe(listed);
  const made = await segment({ key: 'everyone', name: 'Everyone', condition: everyone });
  expect(made.members).toBe(listed);
});
