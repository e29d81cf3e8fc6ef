// Subscription topics and the hosted preference page: leaving one topic stops that
// topic's mail (the skip recorded with its reason, in stats) while another topic still
// arrives; one-click unsubscribes from everything; resubscribing brings mail back; every
// change is a contact change on the timeline; forged links change nothing.
import { afterAll, beforeAll, expect, test } from 'vitest';
import pg from 'pg';
import { startTend, type Tend } from '../support/tend.js';
import { rawHeader } from '../support/smtp.js';

let tend: Tend;
let db: pg.Client;
beforeAll(async () => {
  tend = await startTend();
  db = new pg.Client({ connectionString: tend.databaseUrl });
  await db.connect();
  for (const topic of [
    { key: 'product-news', name: 'Product news', description: 'What we shipped this month' },
    { key: 'offers', name: 'Offers <b>& deals</b>', description: 'Discounts, "now and then"' },
  ]) expect((await tend.api('POST', '/api/topics', topic)).status).toBe(201);
});
afterAll(async () => {
  await db?.end();
  await tend?.stop();
});

let n = 0;
/** A one-email program about `topic`, started by its own event type. */
async function mailer(subject: string, topic?: string): Promise<{ id: string; event: string }> {
  const event = `send_${++n}`;
  const id = await tend.publish({
    format: 'tend.flow/v1',
    name: subject,
    settings: { reentry: 'afterExit' },
    nodes: [
      { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: event } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject, html: '<p>Hello</p>', ...(topic ? { topic } : {}) } },
    ],
    edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'mail' }],
  });
  return { id, event };
}

const completed = async (id: string) => (await tend.api('GET', `/api/flows/${id}/stats`)).body.enrollments.completed ?? 0;
const inbox = (email: string) => tend.mailbox.messages.filter((m) => (m.to as { text: string }).text === email).map((m) => m.subject);
const messages = async (email: string) =>
  (await db.query('SELECT m.subject, m.status, m.reason, m.topic FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE c.email = $1 ORDER BY m.created_at', [email])).rows;
const changes = async (email: string) =>
  (await db.query("SELECT e.properties FROM events e JOIN contacts c ON c.id = e.contact_id WHERE c.email = $1 AND e.type = 'tend.contact_changed' ORDER BY e.received_at, e.id", [email])).rows.map((r) => r.properties);

async function send(p: { id: string; event: string }, email: string, runs: number) {
  await tend.event({ type: p.event, email });
  await tend.until(async () => (await completed(p.id)) >= runs, `${runs} run(s) of ${p.event}`);
}

/** The form fields of the page's topic form, as a browser would post them after the given changes. */
function topicForm(html: string, set: Record<string, boolean>): URLSearchParams {
  const form = new URLSearchParams({ action: 'topics' });
  for (const [, key, checked] of html.matchAll(/<input type="checkbox" name="topic" value="([^"]+)"( checked)?>/g)) {
    form.append('shown', key!);
    if (set[key!] ?? Boolean(checked)) form.append('topic', key!);
  }
  return form;
}

test('the preference page: leaving one topic skips that topic’s next email with its reason; another topic still arrives', async () => {
  const email = 'reader@example.com';
  const news = await mailer('Product news', 'product-news');
  const offers = await mailer('This week’s offer', 'offers');
  await send(news, email, 1);
  const mail = (await tend.mailbox.waitFor(1)).find((m) => m.subject === 'Product news')!;
  // The footer's unsubscribe link and the List-Unsubscribe header name the same signed URL.
  const link = rawHeader(mail, 'List-Unsubscribe')!.slice(1, -1);
  expect(String(mail.html)).toContain(`href="${link}"`);

  // Opening it leads to the preference page; opening changes nothing.
  const page = await fetch(link);
  expect(page.status).toBe(200);
  expect(page.url).toMatch(/\/preferences\/[^/]+$/);
  expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  const html = await page.text();
  expect(html).toContain('reader@example.com');
  expect(html).toContain('<input type="checkbox" name="topic" value="product-news" checked>');
  expect(html).toContain('<input type="checkbox" name="topic" value="offers" checked>');
  // Topic names and descriptions are data: shown escaped, never as markup.
  expect(html).toContain('Offers &lt;b&gt;&amp; deals&lt;/b&gt;');
  expect(html).toContain('Discounts, &quot;now and then&quot;');
  expect(html).not.toContain('<b>& deals</b>');
  expect(await changes(email)).toEqual([]);

  const saved = await fetch(page.url, { method: 'POST', body: topicForm(html, { 'product-news': false }), redirect: 'manual' });
  expect(saved.status).toBe(303);
  const after = await (await fetch(new URL(saved.headers.get('location')!, page.url))).text();
  expect(after).toContain('Your choices are saved.');
  expect(after).toContain('<input type="checkbox" name="topic" value="product-news">');
  expect(after).toContain('<input type="checkbox" name="topic" value="offers" checked>');

  await send(news, email, 2);
  await send(offers, email, 1);
  await tend.until(async () => inbox(email).length === 2, 'the offer');
  await new Promise((r) => setTimeout(r, 500));
  expect(inbox(email)).toEqual(['Product news', 'This week’s offer']);
  expect(await messages(email)).toEqual([
    { subject: 'Product news', status: 'sent', reason: null, topic: 'product-news' },
    { subject: 'Product news', status: 'skipped', reason: 'unsubscribed from topic product-news', topic: 'product-news' },
    { subject: 'This week’s offer', status: 'sent', reason: null, topic: 'offers' },
  ]);
  const stats = (await tend.api('GET', `/api/flows/${news.id}/stats`)).body;
  expect(stats.nodes.mail.messages).toMatchObject({ sent: 1, skipped: 1 });

  // The choice is a contact change on the timeline, readable in conditions as consent.topics.
  expect(await changes(email)).toEqual([
    { by: 'contact', method: 'preference-page', changes: { consent: { topics: { from: null, to: { 'product-news': false, offers: true } } } } },
  ]);
  const contact = (await tend.api('GET', `/api/contacts?email=${email}`)).body.contacts[0];
  expect(contact.consent.topics).toEqual({ 'product-news': false, offers: true });

  // Back in: the topic's next email arrives again.
  expect((await fetch(page.url, { method: 'POST', body: topicForm(after, { 'product-news': true }), redirect: 'manual' })).status).toBe(303);
  await send(news, email, 3);
  await tend.until(async () => inbox(email).length === 3, 'the news again');
  expect((await messages(email)).at(-1)).toMatchObject({ status: 'sent', topic: 'product-news' });
});

test('one-click POST (RFC 8058) still unsubscribes from all marketing; the page offers to subscribe again', async () => {
  const email = 'oneclick@example.com';
  const news = await mailer('More news', 'product-news');
  const plain = await mailer('No topic at all');
  await send(news, email, 1);
  await tend.until(async () => inbox(email).length === 1, 'the first email');
  const mail = tend.mailbox.messages.find((m) => (m.to as { text: string }).text === email)!;
  expect(rawHeader(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  const link = rawHeader(mail, 'List-Unsubscribe')!.slice(1, -1);
  const oneClick = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
  expect(oneClick.status).toBe(200);

  await send(news, email, 2);
  await send(plain, email, 1);
  await new Promise((r) => setTimeout(r, 500));
  expect(inbox(email)).toEqual(['More news']);
  expect((await messages(email)).slice(1).map((m) => [m.subject, m.status, m.reason])).toEqual([
    ['More news', 'skipped', 'unsubscribed'],
    ['No topic at all', 'skipped', 'unsubscribed'],
  ]);
  expect(await changes(email)).toEqual([{ by: 'contact', method: 'one-click', changes: { unsubscribed: { from: false, to: true } } }]);

  const page = await fetch(link);
  const html = await page.text();
  expect(html).toContain('You are unsubscribed from all marketing email.');
  expect(html).not.toContain('name="topic"');
  expect((await fetch(page.url, { method: 'POST', body: new URLSearchParams({ action: 'resubscribe' }), redirect: 'manual' })).status).toBe(303);
  await send(plain, email, 2);
  await tend.until(async () => inbox(email).length === 2, 'mail after resubscribing');
  expect((await changes(email)).at(-1)).toEqual({ by: 'contact', method: 'preference-page', changes: { unsubscribed: { from: true, to: false } } });

  // One-click against the preference page's own URL works the same way.
  expect((await fetch(page.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
  expect((await tend.api('GET', `/api/contacts?email=${email}`)).body.contacts[0].unsubscribed).toBe(true);
});

test('a forged or altered token is refused and changes nothing', async () => {
  const email = 'victim@example.com';
  const p = await mailer('Hello victim', 'offers');
  await send(p, email, 1);
  await tend.until(async () => inbox(email).length === 1, 'the email');
  const mail = tend.mailbox.messages.find((m) => (m.to as { text: string }).text === email)!;
  const token = rawHeader(mail, 'List-Unsubscribe')!.slice(1, -1).split('/').at(-1)!;
  const [contactId, sig] = token.split('.');
  const other = (await tend.api('PUT', '/api/contacts', { email: 'other@example.com' })).body.id as string;
  const at = 10;
  const altered = `${contactId}.${sig!.slice(0, at)}${sig![at] === 'a' ? 'b' : 'a'}${sig!.slice(at + 1)}`;
  const forged = [altered, `${other}.${sig}`, contactId!, `${contactId}.`, 'not-a-token'];
  for (const bad of forged) {
    const get = await fetch(`${tend.url}/preferences/${bad}`);
    expect(get.status, bad).toBe(404);
    expect(await get.text()).not.toContain(email);
    expect((await fetch(`${tend.url}/preferences/${bad}`, { method: 'POST', body: new URLSearchParams({ action: 'topics', shown: 'offers' }) })).status).toBe(404);
    expect((await fetch(`${tend.url}/preferences/${bad}`, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(404);
    expect((await fetch(`${tend.url}/unsubscribe/${bad}`, { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(`${tend.url}/unsubscribe/${bad}`, { method: 'POST' })).status).toBe(404);
  }
  // A genuine token with an action the page never sends changes nothing either.
  expect((await fetch(`${tend.url}/preferences/${token}`, { method: 'POST', body: new URLSearchParams([['action', 'topics'], ['action', 'resubscribe']]) })).status).toBe(400);
  const victim = (await tend.api('GET', `/api/contacts?email=${email}`)).body.contacts[0];
  expect([victim.unsubscribed, victim.consent]).toEqual([false, {}]);
  expect(await changes(email)).toEqual([]);
  expect(await changes('other@example.com')).toEqual([]);
});

test('topics are managed through the API with precise errors; a deleted topic leaves the page', async () => {
  const bad = await tend.api('POST', '/api/topics', { key: 'Bad Key', name: '' });
  expect(bad.status).toBe(422);
  expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/key', '/name']);
  expect((await tend.api('POST', '/api/topics', { key: 'offers', name: 'Again' })).status).toBe(409);
  expect((await tend.api('PUT', '/api/topics/offers', { name: 'Offers', description: 'Now and then' })).body).toMatchObject({ key: 'offers', name: 'Offers' });
  expect((await tend.api('POST', '/api/topics', { key: 'events', name: 'Events near you' })).status).toBe(201);
  expect((await tend.api('DELETE', '/api/topics/events')).status).toBe(204);
  expect((await tend.api('GET', '/api/topics')).body.topics.map((t: { key: string }) => t.key)).toEqual(['offers', 'product-news']);
  expect((await tend.api('GET', '/api/topics/nope')).status).toBe(404);
  // Archived: gone from the API unless asked for, and archived once.
  expect((await tend.api('GET', '/api/topics/events')).status).toBe(404);
  expect((await tend.api('GET', '/api/topics?archived=true')).body.topics).toContainEqual(expect.objectContaining({ key: 'events', archived: true }));
  expect((await tend.api('DELETE', '/api/topics/events')).status).toBe(404);
  const flow = await tend.api('POST', '/api/flows/validate', {
    format: 'tend.flow/v1', name: 'x',
    nodes: [
      { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'x' } },
      { id: 'mail', type: 'tend.action.email', version: 1, config: { subject: 's', html: 'h', topic: 'No Spaces' } },
    ],
    edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'mail' }],
  });
  expect(JSON.stringify(flow.body)).toContain('/nodes/1/config/topic');
});
