// Open and click tracking: the pixel and the rewritten links of a sent email record
// events on the right message and program node; a click lands on the original URL; a
// forged token is refused; a program can wait for a click on its own email.
import { afterAll, beforeAll, expect, test } from 'vitest';
import pg from 'pg';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
let db: pg.Client;
let programId: string;
beforeAll(async () => {
  tend = await startTend();
  db = new pg.Client({ connectionString: tend.databaseUrl });
  await db.connect();
  programId = await tend.publish({
    format: 'tend.flow/v1',
    name: 'Guide follow-up',
    nodes: [
      { id: 'asked', type: 'tend.trigger.event', version: 1, config: { eventType: 'guide_requested' } },
      { id: 'guide', type: 'tend.action.email', version: 1, config: { subject: 'Your guide', html: '<p><a href="https://example.com/guide.pdf?utm=tend&amp;v=2">Download</a> or <a href=\'https://example.com/blog\'>read the blog</a>.</p>' } },
      { id: 'clicked', type: 'tend.wait.event', version: 1, config: { eventType: 'email_clicked', timeout: '20 seconds', fromThisRun: true } },
      { id: 'deeper', type: 'tend.action.email', version: 1, config: { subject: 'More on {{received.properties.url}}', html: '<p>Since you liked it.</p>' } },
    ],
    edges: [
      { id: 'e1', source: 'asked', sourcePort: 'next', target: 'guide' },
      { id: 'e2', source: 'guide', sourcePort: 'next', target: 'clicked' },
      { id: 'e3', source: 'clicked', sourcePort: 'event', target: 'deeper' },
    ],
  });
});
afterAll(async () => {
  await db?.end();
  await tend?.stop();
});

const events = async (type: string) =>
  (await db.query('SELECT e.properties FROM events e WHERE e.type = $1 ORDER BY e.received_at', [type])).rows.map((r) => r.properties);

test('opens and clicks are recorded on the message, clicks land on the original URL, forgeries are refused', async () => {
  await tend.event({ type: 'guide_requested', email: 'reader@example.com' });
  await tend.event({ type: 'guide_requested', email: 'other@example.com' });
  await tend.mailbox.waitFor(2);
  const mail = tend.mailbox.messages.find((m) => (m.to as { text: string }).text === 'reader@example.com')!;
  const html = String(mail.html);
  const pixel = /<img src="([^"]+\/o\/[^"]+)"/.exec(html)![1]!;
  const links = [...html.matchAll(/href=["']([^"']+\/c\/[^"']+)["']/g)].map((m) => m[1]!);
  expect(links).toHaveLength(2);
  expect(html).not.toContain('https://example.com/guide.pdf');
  expect(html).toContain('/unsubscribe/'); // the unsubscribe link is left as it is

  const open = await fetch(pixel);
  expect(open.status).toBe(200);
  expect(open.headers.get('content-type')).toBe('image/gif');
  const click = await fetch(links[0]!, { redirect: 'manual' });
  expect(click.status).toBe(302);
  expect(click.headers.get('location')).toBe('https://example.com/guide.pdf?utm=tend&v=2');

  const { rows: [message] } = await db.query("SELECT m.id, m.node_id, m.first_opened_at, m.first_clicked_at FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE c.email = 'reader@example.com' AND m.subject = 'Your guide'");
  expect(message.first_opened_at).not.toBeNull();
  expect(message.first_clicked_at).not.toBeNull();
  expect(await events('email_opened')).toEqual([expect.objectContaining({ messageId: message.id, programId, nodeId: 'guide' })]);
  expect(await events('email_clicked')).toEqual([expect.objectContaining({ messageId: message.id, programId, nodeId: 'guide', url: 'https://example.com/guide.pdf?utm=tend&v=2', link: 0 })]);

  // Forged: another message's id with this signature, another link index, garbage.
  const forgedLink = links[0]!.replace(/\/c\/([^.]+)\.0\./, '/c/$1.1.');
  expect((await fetch(forgedLink, { redirect: 'manual' })).status).toBe(404);
  const otherId = '00000000-0000-4000-8000-000000000000';
  expect((await fetch(links[0]!.replace(message.id, otherId), { redirect: 'manual' })).status).toBe(404);
  expect((await fetch(`${tend.url}/c/nonsense`, { redirect: 'manual' })).status).toBe(404);
  await fetch(pixel.replace(message.id, otherId));
  expect(await events('email_opened')).toHaveLength(1);
  expect(await events('email_clicked')).toHaveLength(1);

  // The click moved the reader's run on at once; the other reader still waits.
  const [, , deeper] = await tend.mailbox.waitFor(3);
  expect(deeper!.subject).toBe('More on https://example.com/guide.pdf?utm=tend&v=2');
  expect((deeper!.to as { text: string }).text).toBe('reader@example.com');
  const stats = (await tend.api('GET', `/api/flows/${programId}/stats`)).body;
  expect(stats.nodes.guide.messages).toMatchObject({ sent: 2, opened: 1, clicked: 1 });
  expect(stats.nodes.clicked.waiting).toBe(1);
});
