// Consent per channel, frequency caps across programs, quiet hours in the contact's
// time zone, SMS through a Twilio-style provider (a real local HTTP receiver), and
// owner notification with round-robin assignment.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import pg from 'pg';
import { startTend, type Tend } from '../support/tend.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { localParts } from '../../engine/plugin/zoned-time.js';

let tend: Tend;
let sms: Receiver;
let crm: Receiver;
let db: pg.Client;

beforeAll(async () => {
  sms = await startReceiver();
  crm = await startReceiver();
  tend = await startTend({
    env: { TEND_SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: 'AC123', TWILIO_AUTH_TOKEN: 'secret', TWILIO_FROM: '+15550001111', TWILIO_API_URL: sms.url },
  });
  db = new pg.Client({ connectionString: tend.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await tend?.stop();
  await sms?.close();
  await crm?.close();
});

let n = 0;
/** A one-action program started by its own event type, so tests do not trigger each other. */
async function program(action: { type: string; config: Record<string, unknown> }): Promise<{ id: string; event: string }> {
  const event = `go_${++n}`;
  const id = await tend.publish({
    format: 'tend.flow/v1',
    name: `policy ${n}`,
    settings: { reentry: 'afterExit' },
    nodes: [
      { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: event } },
      { id: 'act', type: action.type, version: 1, config: action.config },
    ],
    edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'act' }],
  });
  return { id, event };
}

const messagesOf = async (email: string) =>
  (await db.query('SELECT m.channel, m.status, m.reason, m.recipient, m.deferred_until FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE c.email = $1 ORDER BY m.created_at', [email])).rows;

const ended = (programId: string, count: number) =>
  tend.until(async () => (await tend.api('GET', `/api/flows/${programId}/stats`)).body.enrollments.completed >= count, `${count} run(s) of ${programId} to end`);

async function setPolicy(policy: unknown) {
  const res = await tend.api('PUT', '/api/messaging-policy', policy);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe('consent', () => {
  test('marketing email skips a contact without email consent or marked do-not-contact; transactional email still goes', async () => {
    await setPolicy({});
    await tend.api('PUT', '/api/contacts', { email: 'no-consent@example.com', consent: { email: false } });
    await tend.api('PUT', '/api/contacts', { email: 'dnc@example.com', consent: { do_not_contact: true } });
    const news = await program({ type: 'tend.action.email', config: { subject: 'News', html: '<p>news</p>' } });
    const receipt = await program({ type: 'tend.action.email', config: { subject: 'Your receipt', html: '<p>paid</p>', marketing: false } });
    for (const email of ['no-consent@example.com', 'dnc@example.com']) {
      await tend.event({ type: news.event, email });
      await tend.event({ type: receipt.event, email });
    }
    await ended(news.id, 2);
    await ended(receipt.id, 2);
    await tend.mailbox.waitFor(2);
    await new Promise((r) => setTimeout(r, 500));
    expect(tend.mailbox.messages.map((m) => m.subject)).toEqual(['Your receipt', 'Your receipt']);
    expect((await messagesOf('no-consent@example.com')).find((m) => m.status === 'skipped')?.reason).toBe('no email consent');
    expect((await messagesOf('dnc@example.com')).find((m) => m.status === 'skipped')?.reason).toBe('do not contact');
    const stats = (await tend.api('GET', `/api/flows/${news.id}/stats`)).body;
    expect(stats.nodes.act.messages).toMatchObject({ sent: 0, skipped: 2 });
    tend.mailbox.messages.length = 0;
  });
});

describe('SMS through a Twilio-style provider', () => {
  test('is opt-in: sent to the contact who opted in, skipped for the one who did not; a 4xx is final', async () => {
    await setPolicy({});
    sms.respond = (req) => (String((req.body.match(/To=([^&]*)/) ?? [])[1]).includes('999') ? { status: 400, body: { code: 21211, message: 'invalid To number' } } : { status: 201, body: { sid: 'SM0001' } });
    await tend.api('PUT', '/api/contacts', { email: 'texter@example.com', phone: '+15551234567', consent: { sms: true } });
    await tend.api('PUT', '/api/contacts', { email: 'silent@example.com', phone: '+15557654321' });
    await tend.api('PUT', '/api/contacts', { email: 'badnumber@example.com', phone: '+15559999999', consent: { sms: true } });
    const p = await program({ type: 'tend.action.sms', config: { body: 'Hi {{contact.email}}, 20% off today & tomorrow' } });
    for (const email of ['texter@example.com', 'silent@example.com', 'badnumber@example.com']) await tend.event({ type: p.event, email });
    await ended(p.id, 3);

    expect(sms.requests).toHaveLength(2);
    const ok = sms.requests.find((r) => r.body.includes('1234567'))!;
    expect(ok.path).toBe('/2010-04-01/Accounts/AC123/Messages.json');
    expect(ok.headers.authorization).toBe(`Basic ${Buffer.from('AC123:secret').toString('base64')}`);
    const form = new URLSearchParams(ok.body);
    expect(form.get('To')).toBe('+15551234567');
    expect(form.get('From')).toBe('+15550001111');
    expect(form.get('Body')).toBe('Hi texter@example.com, 20% off today & tomorrow');
    expect((await messagesOf('texter@example.com'))[0]).toMatchObject({ channel: 'sms', status: 'sent' });
    expect((await messagesOf('silent@example.com'))[0]).toMatchObject({ channel: 'sms', status: 'skipped', reason: 'no sms opt-in' });
    expect((await messagesOf('badnumber@example.com'))[0]).toMatchObject({ channel: 'sms', status: 'failed' });
    expect((await messagesOf('badnumber@example.com'))[0].reason).toContain('21211');
  });
});

describe('frequency caps across programs', () => {
  test('skip: a second program over the cap records the skip with its reason', async () => {
    await setPolicy({ caps: [{ channel: 'email', max: 1, per: '1 hour' }] });
    const first = await program({ type: 'tend.action.email', config: { subject: 'First', html: '<p>1</p>' } });
    const second = await program({ type: 'tend.action.email', config: { subject: 'Second', html: '<p>2</p>', whenCapped: 'skip' } });
    await tend.event({ type: first.event, email: 'capped@example.com' });
    await ended(first.id, 1);
    await tend.event({ type: second.event, email: 'capped@example.com' });
    await ended(second.id, 1);
    const rows = await messagesOf('capped@example.com');
    expect(rows.map((r) => [r.status, r.reason])).toEqual([['sent', null], ['skipped', 'frequency cap: 1 email per 1 hour']]);
    expect(tend.mailbox.messages.filter((m) => m.subject === 'Second')).toHaveLength(0);
    tend.mailbox.messages.length = 0;
  });

  test('defer: the capped message waits and is sent once the window allows', async () => {
    await setPolicy({ caps: [{ channel: 'email', max: 1, per: '3 seconds' }] });
    const first = await program({ type: 'tend.action.email', config: { subject: 'Now', html: '<p>1</p>' } });
    const later = await program({ type: 'tend.action.email', config: { subject: 'Later', html: '<p>2</p>', whenCapped: 'defer' } });
    await tend.event({ type: first.event, email: 'deferred@example.com' });
    await ended(first.id, 1);
    await tend.event({ type: later.event, email: 'deferred@example.com' });
    await tend.until(async () => (await messagesOf('deferred@example.com')).some((m) => m.status === 'deferred'), 'the deferral');
    const waiting = (await tend.api('GET', `/api/flows/${later.id}/stats`)).body.nodes.act;
    expect(waiting.waiting).toBe(1);
    await ended(later.id, 1);
    const rows = await messagesOf('deferred@example.com');
    expect(rows.map((r) => r.status)).toEqual(['sent', 'deferred', 'sent']);
    const deferral = rows[1];
    expect(deferral.reason).toBe('frequency cap: 1 email per 3 seconds');
    expect(deferral.deferred_until.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(tend.mailbox.messages.map((m) => m.subject)).toEqual(['Now', 'Later']);
    const stats = (await tend.api('GET', `/api/flows/${later.id}/stats`)).body.nodes.act;
    expect(stats.messages).toMatchObject({ sent: 1, deferred: 1 });
    tend.mailbox.messages.length = 0;
  });
});

describe('quiet hours', () => {
  test('a marketing email inside quiet hours is deferred to their end in the contact’s time zone', async () => {
    const tz = 'Asia/Tokyo';
    const now = localParts(new Date(), tz);
    const hhmm = (h: number) => `${String(((h % 24) + 24) % 24).padStart(2, '0')}:${String(now.minute).padStart(2, '0')}`;
    // Quiet from an hour ago until three hours from now, Tokyo time.
    await setPolicy({ quietHours: { start: hhmm(now.hour - 1), end: hhmm(now.hour + 3), channels: ['email'] } });
    await tend.api('PUT', '/api/contacts', { email: 'tokyo@example.com', timezone: tz });
    const p = await program({ type: 'tend.action.email', config: { subject: 'Good morning', html: '<p>hi</p>' } });
    await tend.event({ type: p.event, email: 'tokyo@example.com' });
    await tend.until(async () => (await messagesOf('tokyo@example.com')).length > 0, 'the decision');
    const [row] = await messagesOf('tokyo@example.com');
    expect(row.status).toBe('deferred');
    expect(row.reason).toBe(`quiet hours until ${hhmm(now.hour + 3)} (${tz})`);
    const wake = localParts(row.deferred_until, tz);
    expect(`${String(wake.hour).padStart(2, '0')}:${String(wake.minute).padStart(2, '0')}`).toBe(hhmm(now.hour + 3));
    const ahead = row.deferred_until.getTime() - Date.now();
    expect(ahead).toBeGreaterThan(2 * 3600_000);
    expect(ahead).toBeLessThanOrEqual(3 * 3600_000 + 60_000);
    const visit = (await db.query("SELECT status, wake_at FROM node_visits WHERE node_id = 'act' AND program_id = $1", [p.id])).rows[0];
    expect(visit.status).toBe('waiting');
    expect(visit.wake_at.getTime()).toBe(row.deferred_until.getTime());
    expect(tend.mailbox.messages).toHaveLength(0);
  });
});

describe('notify owner', () => {
  test('assigns owners round-robin, stores them on the contact, and emails them', async () => {
    await setPolicy({});
    const p = await program({ type: 'tend.action.notify-owner', config: { ownerField: 'owner', owners: ['ann@sales.example', 'bob@sales.example'], channel: 'email', subject: 'Call {{contact.email}}' } });
    for (const email of ['lead1@example.com', 'lead2@example.com', 'lead3@example.com']) {
      await tend.event({ type: p.event, email });
      await ended(p.id, Number(email.at(4)));
    }
    const mails = await tend.mailbox.waitFor(3);
    expect(mails.map((m) => [m.subject, (m.to as { text: string }).text])).toEqual([
      ['Call lead1@example.com', 'ann@sales.example'],
      ['Call lead2@example.com', 'bob@sales.example'],
      ['Call lead3@example.com', 'ann@sales.example'],
    ]);
    const lead2 = (await tend.api('GET', '/api/contacts?email=lead2@example.com')).body;
    expect((lead2.contacts ?? lead2.items ?? [lead2])[0].attributes.owner).toBe('bob@sales.example');
    tend.mailbox.messages.length = 0;
  });

  test('posts a task to a CRM webhook for the owner already on the contact', async () => {
    const p = await program({ type: 'tend.action.notify-owner', config: { channel: 'webhook', url: `${crm.url}/tasks`, subject: 'Follow up with {{contact.email}}' } });
    await tend.api('PUT', '/api/contacts', { email: 'owned@example.com', attributes: { owner: 'cat@sales.example' } });
    await tend.api('PUT', '/api/contacts', { email: 'orphan@example.com' });
    await tend.event({ type: p.event, email: 'owned@example.com' });
    await tend.event({ type: p.event, email: 'orphan@example.com' });
    await ended(p.id, 2);
    expect(crm.requests).toHaveLength(1);
    expect(crm.requests[0].json).toMatchObject({ type: 'task', title: 'Follow up with owned@example.com', owner: 'cat@sales.example', contact: { email: 'owned@example.com' } });
    const ports = (await db.query("SELECT port FROM node_visits WHERE program_id = $1 AND node_id = 'act' ORDER BY port", [p.id])).rows.map((r) => r.port);
    expect(ports).toEqual(['next', 'no_owner']);
  });
});

describe('the policy API', () => {
  test('refuses a bad policy naming the field, and keeps the old one', async () => {
    await setPolicy({ caps: [{ channel: 'email', max: 2, per: '1 day' }] });
    const bad = await tend.api('PUT', '/api/messaging-policy', { caps: [{ channel: 'fax', max: 0, per: 'soon' }], defaultTimezone: 'Mars/Olympus' });
    expect(bad.status).toBe(422);
    const paths = bad.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/caps/0/channel', '/caps/0/max', '/caps/0/per']));
    const tz = await tend.api('PUT', '/api/messaging-policy', { defaultTimezone: 'Mars/Olympus' });
    expect(tz.status).toBe(422);
    expect(tz.body.errors).toEqual([{ path: '/defaultTimezone', message: expect.stringContaining('IANA') }]);
    expect((await tend.api('GET', '/api/messaging-policy')).body.caps).toEqual([{ channel: 'email', max: 2, per: '1 day' }]);
  });
});
