// Lead scoring from rules as events arrive: a threshold crossing starts a program
// exactly once, caps hold, decay takes points back (through an indexed queue of due
// awards), and set-stage / stage-changed chain programs together.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import pg from 'pg';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
let db: pg.Client;
beforeAll(async () => {
  tend = await startTend();
  db = new pg.Client({ connectionString: tend.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await tend?.stop();
});

const contact = async (email: string) => (await tend.api('GET', `/api/contacts?email=${encodeURIComponent(email)}`)).body.contacts[0];
const score = async (email: string) => (await contact(email))?.score as number;
const rule = async (body: Record<string, unknown>) => {
  const res = await tend.api('POST', '/api/scoring-rules', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};

describe('ready for sales', () => {
  test('rules score events; crossing 20 starts the sales program once, which sets the stage; the stage change starts another', async () => {
    await rule({ name: 'Viewed a page', eventType: 'page_viewed', points: 1 });
    await rule({ name: 'Viewed pricing', eventType: 'page_viewed', where: { field: 'event.properties.path', op: 'startsWith', value: '/pricing' }, points: 5 });
    await rule({ name: 'Downloaded a guide', eventType: 'guide_downloaded', points: 3, cap: { points: 6, per: '1 day' } });
    const sales = await tend.publish({
      format: 'tend.flow/v1',
      name: 'Ready for sales',
      nodes: [
        { id: 'hot', type: 'tend.trigger.score-threshold', version: 1, config: { threshold: 20 } },
        { id: 'mql', type: 'tend.action.set-stage', version: 1, config: { stage: 'MQL' } },
        { id: 'tell', type: 'tend.action.email', version: 1, config: { subject: 'Hot lead: {{contact.email}} ({{contact.score}})', html: '<p>Call them.</p>', marketing: false } },
      ],
      edges: [{ id: 'e1', source: 'hot', sourcePort: 'next', target: 'mql' }, { id: 'e2', source: 'mql', sourcePort: 'next', target: 'tell' }],
    });
    const welcomeMql = await tend.publish({
      format: 'tend.flow/v1',
      name: 'MQL welcome',
      nodes: [
        { id: 'became', type: 'tend.trigger.stage-changed', version: 1, config: { to: 'MQL' } },
        { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'A personal hello', html: '<p>Hi</p>' } },
      ],
      edges: [{ id: 'e1', source: 'became', sourcePort: 'next', target: 'mail' }],
    });

    const email = 'prospect@example.com';
    // 4 guides (3 points each, capped at 6 a day) = 6; 2 pricing views = 2 × (1 + 5) = 12; 1 blog view = 1 → 19.
    for (let i = 0; i < 4; i++) await tend.event({ type: 'guide_downloaded', email, properties: { guide: `g${i}` } });
    for (const path of ['/pricing', '/pricing/enterprise', '/blog/why']) await tend.event({ type: 'page_viewed', email, properties: { path } });
    await tend.until(async () => (await score(email)) === 19, 'a score of 19');
    const entries = async (id: string) => Number((await db.query('SELECT count(*) FROM enrollments WHERE program_id = $1', [id])).rows[0].count);
    await new Promise((r) => setTimeout(r, 500));
    expect(await entries(sales)).toBe(0);

    // The crossing: 19 → 20, then more points: still one run.
    await tend.event({ type: 'page_viewed', email, properties: { path: '/docs' } });
    await tend.event({ type: 'page_viewed', email, properties: { path: '/pricing' } });
    await tend.until(async () => (await score(email)) === 26, 'a score of 26');
    const mails = await tend.mailbox.waitFor(2);
    await new Promise((r) => setTimeout(r, 1000));
    // The email shows the score when it is sent: 20 or more, depending on what came in meanwhile.
    const subjects = tend.mailbox.messages.map((m) => m.subject!).sort();
    expect(subjects[0]).toBe('A personal hello');
    expect(Number(/^Hot lead: prospect@example\.com \((\d+)\)$/.exec(subjects[1]!)?.[1])).toBeGreaterThanOrEqual(20);
    expect(mails).toHaveLength(2);
    expect((await contact(email)).attributes.stage).toBe('MQL');
    expect([await entries(sales), await entries(welcomeMql)]).toEqual([1, 1]);

    // The score history with reasons is on the timeline.
    const history = (await db.query(
      "SELECT (e.properties->>'delta')::int AS delta, e.properties->>'reason' AS reason FROM events e JOIN contacts c ON c.id = e.contact_id WHERE c.email = $1 AND e.type = 'tend.score_changed' ORDER BY e.received_at, e.id",
      [email],
    )).rows;
    expect(history.filter((h) => h.reason === 'Downloaded a guide').map((h) => h.delta)).toEqual([3, 3]);
    expect(history.reduce((s, h) => s + h.delta, 0)).toBe(26);
    tend.mailbox.messages.length = 0;
  });
});

test('decayed points are taken back when they expire, and a fall below then a rise above is a new crossing', async () => {
  await rule({ name: 'Attended a webinar', eventType: 'webinar_attended', points: 10, expiresAfter: '2 seconds' });
  const p = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Warm',
    settings: { reentry: 'afterExit' },
    nodes: [
      { id: 'warm', type: 'tend.trigger.score-threshold', version: 1, config: { threshold: 10 } },
      { id: 'mark', type: 'tend.action.update-contact', version: 1, config: { operations: [{ op: 'increment', field: 'warmed', by: 1 }] } },
    ],
    edges: [{ id: 'e1', source: 'warm', sourcePort: 'next', target: 'mark' }],
  });
  const email = 'webinar@example.com';
  await tend.event({ type: 'webinar_attended', email });
  await tend.until(async () => (await score(email)) === 10, 'the points');
  await tend.until(async () => (await score(email)) === 0, 'the points to expire', 15000);
  await tend.event({ type: 'webinar_attended', email });
  await tend.until(async () => (await contact(email)).attributes.warmed === 2, 'the second crossing', 15000);
  const reasons = (await db.query(
    "SELECT e.properties->>'reason' AS reason FROM events e JOIN contacts c ON c.id = e.contact_id WHERE c.email = $1 AND e.type = 'tend.score_changed' ORDER BY e.received_at, e.id",
    [email],
  )).rows.map((r) => r.reason);
  expect(reasons.slice(0, 3)).toEqual(['Attended a webinar', 'Attended a webinar (expired)', 'Attended a webinar']);
  expect(Number((await db.query('SELECT count(*) FROM enrollments WHERE program_id = $1', [p])).rows[0].count)).toBe(2);
});

test('rules are validated with paths, and a deleted one awards nothing and is gone from the API', async () => {
  const bad = await tend.api('POST', '/api/scoring-rules', { name: '', eventType: 'tend.score_changed', points: 0, where: { field: 'contact.score', op: 'gt' } });
  expect(bad.status).toBe(422);
  expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/eventType', '/name']);
  const zero = await tend.api('POST', '/api/scoring-rules', { name: 'nothing', eventType: 'x', points: 0, where: { field: 'contact.score', op: 'gt' } });
  expect(zero.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/points', '/where/value']);
  const id = await rule({ name: 'Clicked', eventType: 'clicked', points: 2 });
  expect((await tend.api('DELETE', `/api/scoring-rules/${id}`)).status).toBe(204);
  await tend.event({ type: 'clicked', email: 'clicker@example.com' });
  await tend.event({ type: 'probe', email: 'clicker@example.com' });
  await new Promise((r) => setTimeout(r, 800));
  expect(await score('clicker@example.com')).toBe(0);
  expect((await tend.api('GET', `/api/scoring-rules/${id}`)).status).toBe(404);
  expect((await tend.api('GET', '/api/scoring-rules')).body.rules.map((r: { id: string }) => r.id)).not.toContain(id);
  expect((await tend.api('PUT', `/api/scoring-rules/${id}`, { name: 'Clicked', eventType: 'clicked', points: 2 })).status).toBe(404);
  expect((await tend.api('DELETE', `/api/scoring-rules/${id}`)).status).toBe(404);
  expect((await tend.sql('SELECT active, deleted_at IS NOT NULL AS deleted FROM scoring_rules WHERE id = $1', [id]))[0]).toEqual({ active: false, deleted: true });
  expect((await tend.api('GET', '/api/scoring-rules/not-an-id')).status).toBe(404);
});
