// Connected content through a real Tend and a real HTTP server: an email fetches each
// contact's recommendations (their address URL-encoded into the URL), a shared offer
// kept for ten minutes (asked once for two emails), and a service that is down (its
// fallback shows); a private address is refused by the outbound guard. Each message
// records what it fetched.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { forgetConnected } from '../../engine/delivery/connected-content.js';

let tend: Tend;
let api: Receiver;
beforeAll(async () => { [tend, api] = await Promise.all([startTend(), startReceiver()]); forgetConnected(); });
afterAll(async () => { await api?.close(); await tend?.stop(); });

test('recommendations per contact, a shared answer kept, a fallback for a service that is down, a private address refused', async () => {
  api.respond = (req) => {
    const url = new URL(req.path, api.url);
    if (url.pathname === '/recs') return { status: 200, body: { items: [{ name: `Shoes for ${url.searchParams.get('email')}` }] } };
    if (url.pathname === '/offer') return { status: 200, body: { sale: '20% off' } };
    return { status: 503, body: { error: 'down' } };
  };
  const program = await tend.publish({
    format: 'tend.flow/v1', name: 'Weekly picks',
    nodes: [
      { id: 'on', type: 'tend.trigger.event', version: 1, config: { eventType: 'weekly' } },
      {
        id: 'mail', type: 'tend.action.email', version: 1, config: {
          subject: 'Picks: {{connected.offer.sale}}',
          html: '<p>{{#each connected.recs.items}}[{{name}}]{{/each}} · {{connected.news.note}}</p>',
          connected: [
            { name: 'recs', url: `${api.url}/recs?email={{urlencode contact.email}}` },
            { name: 'offer', url: `${api.url}/offer`, ttl: '10 minutes' },
            { name: 'news', url: `${api.url}/news`, fallback: '{"note": "News next week"}' },
          ],
        },
      },
    ],
    edges: [{ id: 'e1', source: 'on', sourcePort: 'next', target: 'mail' }],
  });
  for (const email of ['a+b@example.com', 'cy@example.com']) {
    await tend.event({ type: 'weekly', email });
    await tend.until(async () => tend.mailbox.messages.some((m) => m.html && String(m.html).includes(`Shoes for ${email}`)), `the email to ${email}`);
  }
  const mail = tend.mailbox.messages.find((m) => String(m.html).includes('Shoes for a+b@example.com'))!;
  expect(mail.subject).toBe('Picks: 20% off');
  expect(String(mail.html)).toContain('[Shoes for a+b@example.com] · News next week');
  // The address went URL-encoded; the shared offer was asked once; the service that is down each time.
  expect(api.requests.filter((r) => r.path.startsWith('/recs')).map((r) => r.path)).toEqual(['/recs?email=a%2Bb%40example.com', '/recs?email=cy%40example.com']);
  expect(api.requests.filter((r) => r.path === '/offer')).toHaveLength(1);
  expect(api.requests.filter((r) => r.path === '/news')).toHaveLength(2);

  const recorded = await tend.sql<{ recipient: string; connected: { name: string; status: string; reason?: string }[] }>('SELECT recipient, connected FROM messages WHERE program_id = $1 ORDER BY created_at', [program]);
  expect(recorded.map((m) => m.connected.map((c) => `${c.name}:${c.status}${c.reason ? `:${c.reason}` : ''}`))).toEqual([
    ['recs:fetched', 'offer:fetched', 'news:failed:HTTP 503'],
    ['recs:fetched', 'offer:cached', 'news:failed:HTTP 503'],
  ]);
});

test('a private address is refused by the outbound guard; the email goes with the fallback, and says why', async () => {
  const program = await tend.publish({
    format: 'tend.flow/v1', name: 'Probe',
    nodes: [
      { id: 'on', type: 'tend.trigger.event', version: 1, config: { eventType: 'probe' } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'Probe', html: '<p>[{{connected.meta.id}}]</p>', connected: [{ name: 'meta', url: 'http://169.254.169.254/latest/meta-data', fallback: '{"id": "none"}' }] } },
    ],
    edges: [{ id: 'e1', source: 'on', sourcePort: 'next', target: 'mail' }],
  });
  await tend.event({ type: 'probe', email: 'probe@example.com' });
  await tend.until(async () => tend.mailbox.messages.some((m) => m.subject === 'Probe'), 'the probe email');
  expect(String(tend.mailbox.messages.find((m) => m.subject === 'Probe')!.html)).toContain('[none]');
  const [row] = await tend.sql<{ connected: { status: string; reason: string }[] }>('SELECT connected FROM messages WHERE program_id = $1', [program]);
  expect(row!.connected[0]!.status).toBe('failed');
  expect(row!.connected[0]!.reason).toMatch(/refused/);
});

test('a fallback that is not JSON, or a URL that is not http(s), is a problem of the draft, named by field', async () => {
  const res = await tend.api('POST', '/api/flows/validate', {
    format: 'tend.flow/v1', name: 'Bad',
    nodes: [
      { id: 'on', type: 'tend.trigger.event', version: 1, config: { eventType: 'x' } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 'S', html: '<p>x</p>', connected: [{ name: 'a', url: 'file:///etc/passwd', fallback: '{not json' }] } },
    ],
    edges: [{ id: 'e1', source: 'on', sourcePort: 'next', target: 'mail' }],
  });
  const paths = (res.body.problems as { path: string }[]).map((p) => p.path);
  expect(paths).toContain('/nodes/1/config/connected/0/fallback');
  expect(paths).toContain('/nodes/1/config/connected/0/url');
});
