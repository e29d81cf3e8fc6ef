// Comments and presence through the API, as two marketers and a viewer of one Tend use
// them: threads on a node and on the program, @mentions that reach the person's
// mailbox, refusals that name the field, deleting (the author or an admin), and who
// else has the program open.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { personClient, type PersonClient } from '../support/person.js';
import { setupToken } from '../../engine/access/people.js';

let tend: Tend;
let owner: PersonClient;
let grace: PersonClient;
let mark: PersonClient;
let vera: PersonClient;
let programId: string;
const ids: Record<string, string> = {};
const PASSWORD = 'a long enough passphrase';

async function invited(email: string, name: string, role: string): Promise<PersonClient> {
  expect((await owner.call('POST', '/api/users/invitations', { email, role })).status).toBe(201);
  const mail = await tend.until(async () => tend.mailbox.messages.find((m) => m.subject === 'You are invited to Tend' && m.text?.includes('invites you') && m.to && 'text' in m.to && m.to.text === email), `the invitation to ${email}`);
  const person = personClient(tend.url);
  const made = await person.call('POST', '/api/auth/accept-invitation', { token: /\/invitation#([A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1], name, password: PASSWORD });
  expect(made.status).toBe(201);
  ids[name] = made.body.user.id;
  return person;
}

beforeAll(async () => {
  tend = await startTend({ worker: false });
  owner = personClient(tend.url);
  expect((await owner.call('POST', '/api/auth/setup', { token: (await setupToken(tend.services.db))!, email: 'olive@example.com', name: 'Olive', password: PASSWORD })).status).toBe(201);
  grace = await invited('grace@example.com', 'Grace Hopper', 'marketer');
  mark = await invited('mark@example.com', 'Mark', 'marketer');
  vera = await invited('vera@example.com', 'Vera', 'viewer');
  programId = (await tend.api('POST', '/api/flows', { format: 'tend.flow/v1', name: 'Welcome', nodes: [{ id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } }, { id: 'welcome', type: 'tend.action.email', version: 1, config: { subject: 'Hi', html: '<p>Hi</p>' } }], edges: [] })).body.id;
});
afterAll(async () => { await tend?.stop(); });

test('a comment on a node mentions a teammate, who gets an email and answers in the thread', async () => {
  const made = await grace.call('POST', `/api/flows/${programId}/comments`, { body: '@Mark can you check the subject?', nodeId: 'welcome', mentions: [ids.Mark] });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  expect(made.body).toMatchObject({ nodeId: 'welcome', threadId: null, author: { kind: 'user', id: ids['Grace Hopper'], name: 'Grace Hopper' }, body: '@Mark can you check the subject?', mentions: [{ id: ids.Mark, name: 'Mark' }] });
  const mail = await tend.until(async () => tend.mailbox.messages.find((m) => m.subject === 'Grace Hopper mentioned you on “Welcome”'), 'the mention email');
  expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('mark@example.com');
  expect(mail.text).toContain('@Mark can you check the subject?');
  expect(mail.text).toContain(`/programs/${programId}?node=welcome`);

  // The answer joins the thread, about the same node; a reply to a reply is refused.
  const reply = await mark.call('POST', `/api/flows/${programId}/comments`, { body: 'Done, it reads better now.', threadId: made.body.id });
  expect(reply.status).toBe(201);
  expect(reply.body).toMatchObject({ nodeId: 'welcome', threadId: made.body.id });
  const nested = await mark.call('POST', `/api/flows/${programId}/comments`, { body: 'deeper', threadId: reply.body.id });
  expect(nested.status).toBe(422);
  expect(nested.body.errors[0].path).toBe('/threadId');
  await grace.call('POST', `/api/flows/${programId}/comments`, { body: 'Ready to publish on Monday.' });

  const listed = await vera.call('GET', `/api/flows/${programId}/comments`);
  expect(listed.status).toBe(200);
  expect(listed.body.comments.map((c: { body: string; nodeId: string | null }) => [c.nodeId, c.body])).toEqual([
    ['welcome', '@Mark can you check the subject?'], ['welcome', 'Done, it reads better now.'], [null, 'Ready to publish on Monday.'],
  ]);
  expect(listed.body.mentionable.map((p: { name: string }) => p.name)).toEqual(['Grace Hopper', 'Mark', 'Olive', 'Vera']);
  // Exactly one mention email was sent, to the one person named.
  expect(tend.mailbox.messages.filter((m) => /mentioned you/.test(m.subject ?? ''))).toHaveLength(1);
});

test('bad comments are refused with the field named, and nothing is stored', async () => {
  const before = (await grace.call('GET', `/api/flows/${programId}/comments`)).body.comments.length;
  const cases: [unknown, string][] = [
    [{ body: 'about a node that is not there', nodeId: 'nope' }, '/nodeId'],
    [{ body: 'naming nobody', mentions: ['00000000-0000-4000-8000-000000000000'] }, '/mentions/0'],
    [{ body: '   ' }, '/body'],
    [{ body: 'x'.repeat(4001) }, '/body'],
    [{ body: 'hi', threadId: '00000000-0000-4000-8000-000000000000' }, '/threadId'],
    [{ body: 'hi', colour: 'red' }, '/colour'],
  ];
  for (const [body, path] of cases) {
    const res = await grace.call('POST', `/api/flows/${programId}/comments`, body);
    expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
    expect(res.body.errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toContain(path);
  }
  expect((await grace.call('POST', '/api/flows/00000000-0000-4000-8000-000000000000/comments', { body: 'x' })).status).toBe(404);
  expect((await grace.call('GET', `/api/flows/${programId}/comments`)).body.comments).toHaveLength(before);
});

test('a viewer reads but does not comment; only the author or an admin deletes', async () => {
  const refused = await vera.call('POST', `/api/flows/${programId}/comments`, { body: 'may I?' });
  expect(refused.status).toBe(403);
  const [first] = (await grace.call('GET', `/api/flows/${programId}/comments`)).body.comments;
  expect((await mark.call('DELETE', `/api/flows/${programId}/comments/${first.id}`)).status).toBe(403);
  expect((await grace.call('DELETE', `/api/flows/${programId}/comments/${first.id}`)).status).toBe(204);
  const after = (await owner.call('GET', `/api/flows/${programId}/comments`)).body.comments;
  expect(after[0]).toMatchObject({ id: first.id, body: '', mentions: [] });
  expect(after[0].deletedAt).not.toBeNull();
  expect(after[1].threadId).toBe(first.id); // the reply keeps its thread
  expect((await owner.call('DELETE', `/api/flows/${programId}/comments/${after[1].id}`)).status).toBe(204);
  expect((await owner.call('DELETE', `/api/flows/${programId}/comments/not-an-id`)).status).toBe(404);
});

test('presence: each open editor sees the others, by name, until they leave', async () => {
  expect((await grace.call('PUT', `/api/flows/${programId}/presence`)).body.others).toEqual([]);
  const seenByMark = (await mark.call('PUT', `/api/flows/${programId}/presence`)).body.others;
  expect(seenByMark.map((o: { name: string }) => o.name)).toEqual(['Grace Hopper']);
  // A viewer may say they are looking, and is seen.
  expect((await vera.call('PUT', `/api/flows/${programId}/presence`)).body.others.map((o: { name: string }) => o.name)).toEqual(['Grace Hopper', 'Mark']);
  expect((await grace.call('DELETE', `/api/flows/${programId}/presence`)).status).toBe(204);
  expect((await mark.call('PUT', `/api/flows/${programId}/presence`)).body.others.map((o: { name: string }) => o.name)).toEqual(['Vera']);
  // Someone silent for over a minute is gone (their editor was closed without saying so).
  await tend.sql("UPDATE program_presence SET seen_at = now() - interval '2 minutes' WHERE name = 'Vera'");
  expect((await mark.call('PUT', `/api/flows/${programId}/presence`)).body.others).toEqual([]);
});
