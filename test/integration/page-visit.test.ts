// tend.trigger.page-visit on real tracking hits: a program starts once a visitor reaches
// N views of the pattern pages within the window (not before, not again on the next
// view), views that fell out of the window do not count, other pages do not count;
// with a minimum time on page, only a long enough stay starts it.
import { afterAll, beforeAll, expect, test } from 'vitest';
import pg from 'pg';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
let db: pg.Client;
let key: string;
let viewsProgram: string;
let dwellProgram: string;
let browsingProgram: string;
beforeAll(async () => {
  tend = await startTend();
  db = new pg.Client({ connectionString: tend.databaseUrl });
  await db.connect();
  key = (await tend.api('POST', '/api/site-keys', { name: 'site' })).body.key;
  const program = (name: string, config: unknown, subject: string) => ({
    format: 'tend.flow/v1',
    name,
    nodes: [
      { id: 'visit', type: 'tend.trigger.page-visit', version: 1, config },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject, html: '<p>Questions about pricing?</p>' } },
    ],
    edges: [{ id: 'e1', source: 'visit', sourcePort: 'next', target: 'mail' }],
  });
  viewsProgram = await tend.publish(program('Pricing interest', { pattern: '/pricing*', views: { count: 3, within: '4 seconds', pages: 'matching' } }, 'Three pricing views'));
  dwellProgram = await tend.publish(program('Long read', { pattern: '/guide/*', minSeconds: 20 }, 'You read the guide'));
  browsingProgram = await tend.publish(program('Deep browse with pricing', { pattern: '/plans*', views: { count: 4, within: '1 minute', pages: 'any' } }, 'Four pages, plans among them'));
});
afterAll(async () => {
  await db?.end();
  await tend?.stop();
});

const collect = async (anonymousId: string, body: Record<string, unknown>) => {
  const res = await fetch(`${tend.url}/t/collect`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ key, anonymousId, ...body }) });
  expect(res.status).toBe(202);
};
const view = (anonymousId: string, path: string) => collect(anonymousId, { events: [{ type: 'page_view', properties: { url: `https://www.example.com${path}`, path } }] });
const runs = async (programId: string) => Number((await db.query('SELECT count(*) AS n FROM enrollments WHERE program_id = $1', [programId])).rows[0].n);
/** Waits until the dispatcher has handled everything stored so far. */
const dispatched = () => tend.until(async () => Number((await db.query('SELECT count(*) AS n FROM outbox')).rows[0].n) === 0, 'an empty outbox');

test('N views of the pattern within the window start the program once', async () => {
  const v = 'visitor-pricing-01';
  await collect(v, { identify: { email: 'lea@example.com' } });
  await view(v, '/pricing');
  await view(v, '/pricing/teams');
  await view(v, '/blog/why'); // not a pricing page
  await dispatched();
  expect(await runs(viewsProgram)).toBe(0);

  // Both pricing views leave the 4-second window; two new ones make two, not four.
  await new Promise((r) => setTimeout(r, 4500));
  await view(v, '/pricing');
  await view(v, '/PRICING/enterprise');
  await dispatched();
  expect(await runs(viewsProgram)).toBe(0);

  await view(v, '/pricing?plan=pro');
  const [mail] = await tend.mailbox.waitFor(1);
  expect(mail!.subject).toBe('Three pricing views');
  expect((mail!.to as { text: string }).text).toBe('lea@example.com');

  // A fourth view in the window is past the crossing: no second run.
  await tend.until(async () => (await db.query("SELECT 1 FROM enrollments WHERE program_id = $1 AND status <> 'active'", [viewsProgram])).rowCount, 'the run to finish');
  await view(v, '/pricing');
  await dispatched();
  expect(await runs(viewsProgram)).toBe(1);
});

test('a minimum time on page: a short stay does nothing, a long one starts the program', async () => {
  const v = 'visitor-guide-0001';
  await collect(v, { identify: { email: 'max@example.com' } });
  await view(v, '/guide/setup');
  await collect(v, { events: [{ type: 'page_left', properties: { url: 'https://www.example.com/guide/setup', path: '/guide/setup', seconds: 4 } }] });
  await dispatched();
  expect(await runs(dwellProgram)).toBe(0);
  await collect(v, { events: [{ type: 'page_left', properties: { url: 'https://www.example.com/guide/setup', path: '/guide/setup', seconds: 45 } }] });
  await tend.until(async () => tend.mailbox.messages.find((m) => m.subject === 'You read the guide'), 'the guide email');
  expect(await runs(dwellProgram)).toBe(1);
});

test('any pages count, with the pattern page among them: starts on the view that makes both hold', async () => {
  const v = 'visitor-browse-001';
  await collect(v, { identify: { email: 'ines@example.com' } });
  for (const path of ['/', '/blog/a', '/blog/b', '/docs']) await view(v, path);
  await dispatched();
  expect(await runs(browsingProgram)).toBe(0); // four pages, but no plans page
  await view(v, '/plans/teams');
  await tend.until(async () => tend.mailbox.messages.find((m) => m.subject === 'Four pages, plans among them'), 'the browsing email');
  await view(v, '/blog/c');
  await dispatched();
  expect(await runs(browsingProgram)).toBe(1);
});
