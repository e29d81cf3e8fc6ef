// How a form is doing, as the API tells it: loads of the hosted page and the embed are
// counted per day (not the editor's preview, not an unknown or archived form); real
// submissions are listed newest first, page by page, with the contact, the answers and
// the hidden fields; views, submissions and conversion per day; an unknown form is 404
// and a hostile cursor, limit or period is refused naming the parameter.
import { afterAll, beforeAll, expect, test } from 'vitest';
import pg from 'pg';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
let form: { id: string };
const logged: string[] = [];
beforeAll(async () => {
  tend = await startTend({ logSink: (line) => logged.push(line) });
  const created = await tend.api('POST', '/api/forms', {
    name: 'Spring webinar',
    fields: [{ name: 'email', label: 'Email', type: 'email', required: true }, { name: 'company', label: 'Company', type: 'text' }],
    hidden: { campaign: 'spring', source: 'site' },
  });
  expect(created.status).toBe(201);
  form = created.body;
});
afterAll(async () => {
  await tend?.stop();
});

const views = async (formId: string) => (await tend.sql<{ day: string; views: number }>("SELECT to_char(day, 'YYYY-MM-DD') AS day, views::int AS views FROM form_views WHERE form_id = $1 ORDER BY day", [formId]));
const today = async () => (await tend.sql<{ d: string }>("SELECT to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS d"))[0]!.d;
const daysAgo = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
const submitJson = (formId: string, body: unknown) => fetch(`${tend.url}/f/${formId}/submit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('each load of the hosted page or the embed is a view; the preview, unknown and archived forms are not', async () => {
  expect((await fetch(`${tend.url}/f/${form.id}`)).status).toBe(200);
  expect((await fetch(`${tend.url}/f/${form.id}?vid=visitor-views-01`)).status).toBe(200);
  expect((await fetch(`${tend.url}/f/${form.id}/embed`)).status).toBe(200);
  // The editor's preview of the page: the marketer, not a visitor.
  expect((await fetch(`${tend.url}/f/${form.id}?preview=0`)).status).toBe(200);
  expect((await fetch(`${tend.url}/f/${form.id}`, { method: 'HEAD' })).status).toBe(200);
  expect(await views(form.id)).toEqual([{ day: await today(), views: 3 }]);

  expect((await fetch(`${tend.url}/f/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  const archived = (await tend.api('POST', '/api/forms', { name: 'Old', fields: [{ name: 'email', label: 'Email', type: 'email' }] })).body;
  expect((await tend.api('DELETE', `/api/forms/${archived.id}`)).status).toBe(204);
  expect((await fetch(`${tend.url}/f/${archived.id}`)).status).toBe(404);
  expect((await fetch(`${tend.url}/f/${archived.id}/embed`)).status).toBe(404);
  expect(await tend.sql('SELECT form_id FROM form_views')).toEqual([{ form_id: form.id }]);

  // A count that fails does not cost the visitor the form: logged, and the page served.
  await tend.sql('ALTER TABLE form_views RENAME TO form_views_away');
  try {
    const page = await fetch(`${tend.url}/f/${form.id}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>Spring webinar</h1>');
    expect((await fetch(`${tend.url}/f/${form.id}/embed`)).status).toBe(200);
  } finally {
    await tend.sql('ALTER TABLE form_views_away RENAME TO form_views');
  }
  expect(logged.filter((l) => l.includes('form view not counted')).map((l) => JSON.parse(l))).toEqual([
    expect.objectContaining({ level: 'warn', form: form.id }),
    expect.objectContaining({ level: 'warn', form: form.id }),
  ]);
  expect(await views(form.id)).toEqual([{ day: await today(), views: 3 }]);
});

test('submissions: newest first with contact, answers and hidden fields, two pages', async () => {
  expect((await submitJson(form.id, { values: { email: 'ada@example.com', company: 'Engines' } })).status).toBe(200);
  // The embedding page overrides a hidden value it declares (and nothing else).
  expect((await submitJson(form.id, { values: { email: 'grace@example.com' }, hidden: { campaign: 'autumn', other: 'x' }, page: 'https://www.example.com/webinar' })).status).toBe(200);
  const hosted = await fetch(`${tend.url}/f/${form.id}/submit`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: 'Linus@Example.com', company: 'Kernel' }).toString() });
  expect(hosted.status).toBe(200);
  const contacts = Object.fromEntries((await tend.sql<{ id: string; email: string }>('SELECT id, email FROM contacts')).map((c) => [c.email, c.id]));
  const events = await tend.sql<{ id: string }>("SELECT id FROM events WHERE type = 'form_submitted' ORDER BY occurred_at DESC, id DESC");

  const first = await tend.api('GET', `/api/forms/${form.id}/submissions?limit=2`);
  expect(first.status).toBe(200);
  expect(first.body.submissions).toEqual([
    { eventId: events[0]!.id, contactId: contacts['linus@example.com'], email: 'linus@example.com', submittedAt: expect.any(String), values: { email: 'linus@example.com', company: 'Kernel' }, hidden: { campaign: 'spring', source: 'site' } },
    { eventId: events[1]!.id, contactId: contacts['grace@example.com'], email: 'grace@example.com', submittedAt: expect.any(String), values: { email: 'grace@example.com' }, hidden: { campaign: 'autumn', source: 'site' }, page: 'https://www.example.com/webinar' },
  ]);
  expect(first.body.next).toEqual(expect.any(String));
  const second = await tend.api('GET', `/api/forms/${form.id}/submissions?limit=2&after=${first.body.next}`);
  expect(second.status).toBe(200);
  expect(second.body.submissions.map((s: { email: string }) => s.email)).toEqual(['ada@example.com']);
  expect(second.body.submissions[0]).toMatchObject({ eventId: events[2]!.id, values: { email: 'ada@example.com', company: 'Engines' } });
  expect(second.body.next).toBeNull();
  const all = (await tend.api('GET', `/api/forms/${form.id}/submissions`)).body;
  expect(all.submissions.map((s: { eventId: string }) => s.eventId)).toEqual(events.map((e) => e.id));
  expect(all.next).toBeNull();
  const times = all.submissions.map((s: { submittedAt: string }) => Date.parse(s.submittedAt));
  expect([...times].sort((a, b) => b - a)).toEqual(times);

  // Another form's submissions are its own.
  const other = (await tend.api('POST', '/api/forms', { name: 'Other', fields: [{ name: 'email', label: 'Email', type: 'email' }] })).body;
  expect((await tend.api('GET', `/api/forms/${other.id}/submissions`)).body).toEqual({ submissions: [], next: null });

  // Found through the index on events, not by reading every event (a table this small
  // would be read whole whatever the indexes: sequential scans are ruled out to ask).
  const db = new pg.Client({ connectionString: tend.databaseUrl });
  await db.connect();
  try {
    await db.query('SET enable_seqscan = off');
    const plan = await db.query(`EXPLAIN (FORMAT JSON) SELECT id FROM events WHERE type = 'form_submitted' AND properties->>'formId' = $1
      AND (occurred_at, id) < (now(), $2::uuid) ORDER BY occurred_at DESC, id DESC LIMIT 3`, [form.id, events[0]!.id]);
    const text = JSON.stringify(plan.rows);
    expect(text).toContain('"Index Name":"events_form_submitted"');
    expect(text).not.toContain('"Node Type":"Sort"');
  } finally {
    await db.end();
  }
});

test('stats: views, submissions and conversion per day', async () => {
  const day = await today();
  // Earlier days, as they would have been recorded then: views the day before, and an
  // event posted through the API (it counts as a submission like any other).
  await tend.sql('INSERT INTO form_views (form_id, day, views) VALUES ($1, $2, 5)', [form.id, daysAgo(day, 1)]);
  const old = await tend.api('POST', '/api/events', { type: 'form_submitted', email: 'ada@example.com', occurredAt: `${daysAgo(day, 2)}T12:00:00Z`, properties: { formId: form.id, formName: 'Spring webinar', values: { email: 'ada@example.com' } } });
  expect(old.status).toBe(202);
  // And one long ago, outside the period asked for.
  await tend.sql('INSERT INTO form_views (form_id, day, views) VALUES ($1, $2, 100)', [form.id, daysAgo(day, 40)]);

  const three = await tend.api('GET', `/api/forms/${form.id}/stats?days=3`);
  expect(three.status).toBe(200);
  expect(three.body).toEqual({
    views: 8, submissions: 4, conversionRate: 0.5,
    perDay: [
      { day: daysAgo(day, 2), views: 0, submissions: 1 },
      { day: daysAgo(day, 1), views: 5, submissions: 0 },
      { day, views: 3, submissions: 3 },
    ],
  });
  const month = (await tend.api('GET', `/api/forms/${form.id}/stats`)).body;
  expect(month.perDay).toHaveLength(30);
  expect(month.perDay.at(-1)).toEqual({ day, views: 3, submissions: 3 });
  expect(month).toMatchObject({ views: 8, submissions: 4 });
  expect((await tend.api('GET', `/api/forms/${form.id}/stats?days=1`)).body).toEqual({ views: 3, submissions: 3, conversionRate: 1, perDay: [{ day, views: 3, submissions: 3 }] });

  // A form nobody has seen: no rate rather than a division by zero.
  const unseen = (await tend.api('POST', '/api/forms', { name: 'Unseen', fields: [{ name: 'email', label: 'Email', type: 'email' }] })).body;
  const none = (await tend.api('GET', `/api/forms/${unseen.id}/stats?days=2`)).body;
  expect(none).toEqual({ views: 0, submissions: 0, conversionRate: null, perDay: [{ day: daysAgo(day, 1), views: 0, submissions: 0 }, { day, views: 0, submissions: 0 }] });
});

test('an unknown form is 404 naming it; a hostile cursor, limit or period is refused naming the parameter', async () => {
  const nobody = '00000000-0000-4000-8000-00000000abcd';
  for (const path of [`/api/forms/${nobody}/submissions`, `/api/forms/${nobody}/stats`, '/api/forms/not-a-form/submissions', '/api/forms/not-a-form/stats']) {
    const res = await tend.api('GET', path);
    expect(res.status, path).toBe(404);
    expect(res.body.errors[0].message, path).toContain(path.split('/')[3]);
  }
  const archived = (await tend.api('POST', '/api/forms', { name: 'Gone', fields: [{ name: 'email', label: 'Email', type: 'email' }] })).body;
  await tend.api('DELETE', `/api/forms/${archived.id}`);
  expect((await tend.api('GET', `/api/forms/${archived.id}/submissions`)).status).toBe(404);

  const refused = async (query: string) => {
    const res = await tend.api('GET', `/api/forms/${form.id}/${query}`);
    return { status: res.status, path: res.body.errors?.[0]?.path };
  };
  const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  expect(await refused('submissions?after=not-a-cursor')).toEqual({ status: 422, path: '?after' });
  expect(await refused(`submissions?after=${cursor(["2026-01-01T00:00:00Z'; DROP TABLE events; --", form.id])}`)).toEqual({ status: 422, path: '?after' });
  expect(await refused(`submissions?after=${cursor(['2026-01-01T00:00:00.000Z', 'nope'])}`)).toEqual({ status: 422, path: '?after' });
  expect(await refused(`submissions?after=${cursor({ at: 1 })}`)).toEqual({ status: 422, path: '?after' });
  expect(await refused('submissions?after=a&after=b')).toEqual({ status: 422, path: '?after' });
  expect(await refused(`submissions?after=${'A'.repeat(300)}`)).toEqual({ status: 422, path: '?after' });
  for (const limit of ['0', '201', '-1', '1.5', 'ten', '99999999999999999999']) {
    expect(await refused(`submissions?limit=${limit}`), limit).toEqual({ status: 400, path: '?limit' });
  }
  for (const days of ['0', '91', 'x', '']) {
    expect(await refused(`stats?days=${days}`), days).toEqual({ status: 400, path: '?days' });
  }
  // Not without a key.
  expect((await fetch(`${tend.url}/api/forms/${form.id}/submissions`)).status).toBe(401);
});
