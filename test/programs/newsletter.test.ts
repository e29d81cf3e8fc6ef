// Program 14: the welcome series for new subscribers, and the blog digest — a schedule
// in each subscriber's own time zone that sends the posts published since their last
// digest, and nothing when there are none.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { template } from '../support/templates.js';
import { recipient } from '../support/smtp.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

let tend: Tend;
let blog: Receiver;
beforeAll(async () => {
  tend = await startTend();
  blog = await startReceiver();
});
afterAll(async () => {
  await tend?.stop();
  await blog?.close();
});

const to = (email: string) => tend.mailbox.messages.filter((m) => recipient(m) === email).map((m) => m.subject);
const contact = async (email: string) => (await tend.api('GET', `/api/contacts?email=${encodeURIComponent(email)}`)).body.contacts[0];

describe('blog digest', () => {
  test('each firing sends what is new since the last digest; nothing new, no mail; only the audience; unsubscribed readers are skipped', async () => {
    const posts: { title: string; url: string; summary: string; publishedAt: string }[] = [
      { title: 'Spring release', url: 'https://blog.example.com/spring', summary: 'What is new', publishedAt: new Date(Date.now() - 86_400_000).toISOString() },
      { title: 'Customer story', url: 'https://blog.example.com/story', summary: 'How Acme grew', publishedAt: new Date(Date.now() - 3_600_000).toISOString() },
    ];
    blog.respond = (req) => {
      const since = new URL(req.path, blog.url).searchParams.get('since') ?? '';
      if (req.path.startsWith('/broken')) return { status: 404, body: { error: 'no such feed' } };
      return { status: 200, body: { posts: posts.filter((p) => !since || p.publishedAt > since) } };
    };
    // Created before the program goes live, in two zones: the schedule is planned per zone, not per contact.
    await tend.api('PUT', '/api/contacts', { email: 'reader@example.com', tags: ['newsletter'], timezone: 'Europe/Amsterdam' });
    await tend.api('PUT', '/api/contacts', { email: 'night-owl@example.com', tags: ['newsletter'], timezone: 'America/New_York' });
    await tend.api('PUT', '/api/contacts', { email: 'not-subscribed@example.com', tags: ['customer'], timezone: 'Europe/Amsterdam' });
    await tend.api('PUT', '/api/contacts', { email: 'opted-out@example.com', tags: ['newsletter'], consent: { email: false } });

    const doc = template('blog-digest', { monday: { cron: '*/4 * * * * *' }, fetch: { url: `${blog.url}/posts?since={{contact.attributes.last_digest_at}}` } });
    const imported = await tend.api('POST', '/api/flows/import', doc);
    expect((await tend.api('POST', `/api/flows/${imported.body.id}/publish`)).status).toBe(200);

    await tend.until(async () => to('reader@example.com').length === 1 && to('night-owl@example.com').length === 1, 'the first digests', 20_000);
    expect(to('reader@example.com')).toEqual(['New on the blog: Spring release']);
    const first = tend.mailbox.messages.find((m) => recipient(m) === 'reader@example.com')!;
    expect(first.html).toContain('Customer story');
    const zones = (await tend.sql('SELECT timezone FROM calendar_due ORDER BY timezone')).map((r) => r.timezone);
    expect(zones).toEqual(['America/New_York', 'Europe/Amsterdam', 'UTC']);

    // The next firings: nothing new, so no mail; the feed was asked for what came after the last digest.
    const asked = blog.requests.length;
    await tend.until(async () => blog.requests.length >= asked + 3, 'the next firing', 20_000);
    const since = new URL(blog.requests.at(-1)!.path, blog.url).searchParams.get('since')!;
    expect(Date.parse(since)).toBeGreaterThan(Date.now() - 30_000);
    expect(to('reader@example.com')).toEqual(['New on the blog: Spring release']);

    // A new post: the next digest has only it.
    posts.push({ title: 'Tend 2.0', url: 'https://blog.example.com/tend-2', summary: 'Segments!', publishedAt: new Date().toISOString() });
    await tend.until(async () => to('reader@example.com').length === 2, 'the second digest', 20_000);
    expect(to('reader@example.com')).toEqual(['New on the blog: Spring release', 'New on the blog: Tend 2.0']);
    const second = tend.mailbox.messages.filter((m) => recipient(m) === 'reader@example.com')[1]!;
    expect(second.html).not.toContain('Customer story');

    expect(to('not-subscribed@example.com')).toEqual([]);
    expect(to('opted-out@example.com')).toEqual([]);
    const outsider = await contact('not-subscribed@example.com');
    expect(await tend.sql('SELECT 1 FROM enrollments WHERE contact_id = $1', [outsider.id])).toEqual([]);
    const optedOut = await contact('opted-out@example.com');
    const skipped = await tend.sql("SELECT reason FROM messages WHERE contact_id = $1 AND status = 'skipped'", [optedOut.id]);
    expect(skipped.length).toBeGreaterThan(0);
    expect((await contact('reader@example.com')).attributes.last_digest_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  test('a contact moving to a new time zone gets the schedule there', async () => {
    await tend.api('PUT', '/api/contacts', { email: 'traveller@example.com', tags: ['newsletter'], timezone: 'Asia/Tokyo' });
    await tend.until(async () => (await tend.sql("SELECT 1 FROM calendar_due WHERE timezone = 'Asia/Tokyo'")).length === 1, 'Tokyo planned');
    await tend.until(async () => to('traveller@example.com').length === 1, 'the traveller’s digest', 20_000);
  });
});

describe('welcome series', () => {
  test('welcome at once, then tips for the active and a nudge for the rest; signing up twice does not restart it; no address, no mail', async () => {
    await tend.api('POST', '/api/scoring-rules', { name: 'Used the app', eventType: 'app_used', points: 10 });
    const imported = await tend.api('POST', '/api/flows/import', template('welcome-series', { two_days: { duration: '5 seconds' } }));
    expect((await tend.api('POST', `/api/flows/${imported.body.id}/publish`)).status).toBe(200);
    await tend.event({ type: 'signed_up', email: 'eager@example.com', contact: { attributes: { first_name: 'Eve' } } });
    await tend.event({ type: 'signed_up', email: 'quiet@example.com' });
    await tend.event({ type: 'signed_up', externalId: 'no-address-1' });
    await tend.until(async () => to('eager@example.com').length === 1 && to('quiet@example.com').length === 1, 'the welcomes');
    expect(to('eager@example.com')).toEqual(['Welcome, Eve!']);
    expect(to('quiet@example.com')).toEqual(['Welcome, friend!']);
    await tend.event({ type: 'app_used', email: 'eager@example.com' });
    await tend.event({ type: 'signed_up', email: 'eager@example.com' }); // again: reentry "never"
    await tend.until(async () => to('eager@example.com').length === 2 && to('quiet@example.com').length === 2, 'the follow-ups', 20_000);
    expect(to('eager@example.com')).toEqual(['Welcome, Eve!', 'Three tips for power users']);
    expect(to('quiet@example.com')).toEqual(['Welcome, friend!', 'Need a hand getting started?']);
    const noAddress = (await tend.api('GET', '/api/contacts?externalId=no-address-1')).body.contacts[0];
    const messages = await tend.sql('SELECT status FROM messages WHERE contact_id = $1', [noAddress.id]);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((m) => m.status === 'skipped')).toBe(true);
  });
});
