// A team shares one Tend: the owner sets it up with the one-time link, invites a
// marketer and a viewer by email (the invitations arrive at the SMTP server), the
// marketer builds and publishes a program, the viewer looks but cannot change, publish
// or export, and the audit log shows who published what. Every /api operation is tried
// under every role: a role is refused (403) exactly where the permission table says.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { personClient } from '../support/person.js';
import { setupToken } from '../../engine/access/people.js';
import { openApiDocument } from '../../server/openapi.js';
import { permissionFor, ROLE_GRANTS } from '../../server/scopes.js';

let tend: Tend;
beforeAll(async () => {
  tend = await startTend({ worker: false });
});
afterAll(async () => {
  await tend?.stop();
});

/** A browser: keeps the session cookie, and sends the CSRF token with changes unless told not to. */
const browser = () => personClient(() => tend.url);

const linkToken = (mail: { text?: string }, kind: string) => new RegExp(`/${kind}#([A-Za-z0-9_-]+)`).exec(mail.text ?? '')![1]!;
const PASSWORD = 'a long enough passphrase';

const owner = browser();
const marketer = browser();
const viewer = browser();

test('the owner sets Tend up with the one-time link; it works once', async () => {
  const token = (await setupToken(tend.services.db))!;
  expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  expect((await owner.call('POST', '/api/auth/setup', { token: 'x'.repeat(43), email: 'owner@example.com', name: 'Olive', password: PASSWORD })).status).toBe(404);
  const made = await owner.call('POST', '/api/auth/setup', { token, email: 'Owner@Example.com', name: 'Olive', password: PASSWORD });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  expect(made.body.user).toMatchObject({ email: 'owner@example.com', role: 'owner' });
  expect(made.setCookie).toMatch(/tend_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
  expect((await browser().call('POST', '/api/auth/setup', { token, email: 'mallory@example.com', name: 'M', password: PASSWORD })).status).toBe(404);
  expect(await setupToken(tend.services.db)).toBeUndefined();
  // The password is kept as an Argon2id hash, never as itself.
  const [row] = await tend.sql<{ password_hash: string }>("SELECT password_hash FROM users WHERE email = 'owner@example.com'");
  expect(row!.password_hash).toMatch(/^\$argon2id\$/);
  expect((await owner.call('GET', '/api/auth/session')).body.user).toMatchObject({ name: 'Olive', role: 'owner' });
});

test('invitations arrive by email and make accounts with their role; a link works once', async () => {
  const before = tend.mailbox.messages.length;
  // A change a cookie authenticates needs the CSRF token: a forged cross-site form has none.
  expect((await owner.call('POST', '/api/users/invitations', { email: 'mark@example.com', role: 'marketer' }, { csrf: false })).status).toBe(403);
  expect((await owner.call('POST', '/api/users/invitations', { email: 'mark@example.com', role: 'marketer' })).status).toBe(201);
  expect((await owner.call('POST', '/api/users/invitations', { email: 'vera@example.com', role: 'viewer' })).status).toBe(201);
  expect((await owner.call('POST', '/api/users/invitations', { email: 'owner@example.com', role: 'admin' })).status).toBe(409);
  expect((await owner.call('POST', '/api/users/invitations', { email: 'x@example.com', role: 'owner' })).status).toBe(422);
  const mails = (await tend.mailbox.waitFor(before + 2)).slice(before);
  expect(mails.map((m) => m.to && 'text' in m.to ? m.to.text : '')).toEqual(['mark@example.com', 'vera@example.com']);
  expect(mails[0]!.subject).toBe('You are invited to Tend');
  expect(mails[0]!.text).toContain('Olive invites you to Tend as marketer');
  const markToken = linkToken(mails[0]!, 'invitation');
  expect((await marketer.call('POST', '/api/auth/accept-invitation', { token: markToken, name: 'Mark', password: 'short' })).status).toBe(422);
  const mark = await marketer.call('POST', '/api/auth/accept-invitation', { token: markToken, name: 'Mark', password: PASSWORD });
  expect(mark.status, JSON.stringify(mark.body)).toBe(201);
  expect(mark.body.user).toMatchObject({ email: 'mark@example.com', role: 'marketer' });
  expect((await browser().call('POST', '/api/auth/accept-invitation', { token: markToken, name: 'Again', password: PASSWORD })).status).toBe(404);
  expect((await viewer.call('POST', '/api/auth/accept-invitation', { token: linkToken(mails[1]!, 'invitation'), name: 'Vera', password: PASSWORD })).status).toBe(201);
  const team = (await owner.call('GET', '/api/users')).body;
  expect(team.users.map((u: { email: string; role: string }) => `${u.email}:${u.role}`)).toEqual(['owner@example.com:owner', 'mark@example.com:marketer', 'vera@example.com:viewer']);
  // Nobody's password or token is in an answer or a mail beyond the link itself.
  expect(JSON.stringify(team)).not.toMatch(/password|token_hash|argon/i);
});

test('the marketer builds and publishes; the viewer looks but cannot change, publish or export; the audit log shows the publish', async () => {
  const doc = JSON.parse(fs.readFileSync(path.join('examples', 'templates', 'welcome-series.json'), 'utf8'));
  const created = await marketer.call('POST', '/api/flows', doc);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  expect((await marketer.call('POST', `/api/flows/${id}/publish`)).status).toBe(200);
  const edited = { ...doc, nodes: doc.nodes.map((n: { id: string; type: string; config: Record<string, unknown> }) => (n.type === 'tend.action.email' ? { ...n, config: { ...n.config, subject: 'Welcome aboard, {{contact.attributes.first_name}}' } } : n)) };
  expect((await marketer.call('PUT', `/api/flows/${id}`, edited)).status).toBe(200);
  expect((await marketer.call('POST', `/api/flows/${id}/publish`)).status).toBe(200);
  // The marketer changes no settings and manages no keys or people.
  expect((await marketer.call('PUT', '/api/messaging-policy', {})).status).toBe(403);
  expect((await marketer.call('GET', '/api/keys')).status).toBe(403);
  expect((await marketer.call('POST', '/api/users/invitations', { email: 'z@example.com', role: 'admin' })).body.requiredPermission).toBe('admin');

  await tend.event({ type: 'signed_up', email: 'ada@example.com' });
  const [ada] = await tend.sql<{ id: string }>("SELECT id FROM contacts WHERE email = 'ada@example.com'");
  expect((await viewer.call('GET', `/api/flows/${id}`)).status).toBe(200);
  const stats = await viewer.call('GET', `/api/flows/${id}/stats`);
  expect(stats.status, JSON.stringify(stats.body)).toBe(200);
  expect((await viewer.call('GET', `/api/contacts/${ada!.id}`)).status).toBe(200);
  const refused = await viewer.call('PUT', `/api/flows/${id}`, edited);
  expect(refused.status).toBe(403);
  expect(refused.body.errors[0].message).toBe(`a viewer may not do this: PUT /api/flows/${id} needs the write permission`);
  expect((await viewer.call('POST', `/api/flows/${id}/publish`)).status).toBe(403);
  expect((await viewer.call('GET', `/api/contacts/${ada!.id}/export`)).status).toBe(403);
  expect((await viewer.call('GET', '/api/audit-log')).status).toBe(403);
  expect((await marketer.call('GET', `/api/contacts/${ada!.id}/export`)).status).toBe(200);

  const entries = await tend.until(async () => {
    const log = (await owner.call('GET', `/api/audit-log?target=${id}`)).body.entries as { actor: { name: string }; action: string; detail: { changes?: string[]; version?: number } }[];
    return log.filter((e) => e.action === 'POST /api/flows/:id/publish').length === 2 ? log : undefined;
  }, 'the publishes in the audit log');
  const publishes = entries.filter((e) => e.action === 'POST /api/flows/:id/publish');
  expect(publishes.map((e) => e.actor.name)).toEqual(['mark@example.com', 'mark@example.com']);
  expect(publishes[0]!.detail.version).toBe(2);
  expect(publishes[0]!.detail.changes!.length).toBeGreaterThan(0);
  for (const change of publishes[0]!.detail.changes!) expect(change).toMatch(/^Changed .* \([a-z_]+\): Subject$/);
  expect(publishes[1]!.detail).toMatchObject({ version: 1, changes: ['First version'] });
  expect(entries.map((e) => e.action)).toContain('PUT /api/flows/:id');
  // A save's entry says what changed in the draft, as a publish's does.
  const save = entries.find((e) => e.action === 'PUT /api/flows/:id')!;
  expect(save.detail.changes!.length).toBeGreaterThan(0);
  for (const change of save.detail.changes!) expect(change).toMatch(/^Changed .* \([a-z_]+\): Subject$/);
  expect(save.detail).toMatchObject({ name: doc.name, revision: expect.any(Number) });
  const exports = (await owner.call('GET', `/api/audit-log?action=export`)).body.entries;
  expect(exports).toEqual([expect.objectContaining({ action: 'GET /api/contacts/:id/export', actor: expect.objectContaining({ name: 'mark@example.com' }), target: { kind: 'contact', id: ada!.id } })]);
  // Events and contact updates are the data flowing through, not changes to Tend: not in the log.
  expect(await tend.sql("SELECT count(*)::int AS n FROM audit_log WHERE action LIKE '%/api/events%' OR action = 'PUT /api/contacts'")).toEqual([{ n: 0 }]);
  // Erasing Ada leaves the entries (who exported, who erased, when) naming no one.
  const erased = await marketer.call('DELETE', `/api/contacts/${ada!.id}`);
  expect(erased.status, JSON.stringify(erased.body)).toBe(200);
  const after = await tend.until(async () => {
    const log = (await owner.call('GET', '/api/audit-log?actor=mark')).body.entries as { action: string; target: { id: string | null }; detail: Record<string, unknown> }[];
    return log.some((e) => e.action === 'DELETE /api/contacts/:id') ? log : undefined;
  }, 'the erasure in the audit log');
  expect(after.find((e) => e.action === 'DELETE /api/contacts/:id')).toMatchObject({ target: { kind: 'contact', id: null }, detail: { erasureId: erased.body.erasureId } });
  expect(after.find((e) => e.action === 'GET /api/contacts/:id/export')!.target).toEqual({ kind: 'contact', id: null });
  expect(JSON.stringify(after)).not.toContain(ada!.id);
  expect(await tend.sql('SELECT count(*)::int AS n FROM audit_contacts WHERE contact_id = $1', [ada!.id])).toEqual([{ n: 0 }]);
  // Append-only, down to the database.
  await expect(tend.sql('UPDATE audit_log SET actor_name = $1', ['someone else'])).rejects.toThrow(/append-only/);
  await expect(tend.sql('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
});

test('every /api operation under every role: refused (403) exactly where the permission table says', async () => {
  const roles = { admin: browser(), marketer, viewer } as const;
  const invited = await owner.call('POST', '/api/users/invitations', { email: 'ann@example.com', role: 'admin' });
  expect(invited.status).toBe(201);
  const mail = (await tend.mailbox.waitFor(tend.mailbox.messages.length)).at(-1)!;
  expect((await roles.admin.call('POST', '/api/auth/accept-invitation', { token: linkToken(mail, 'invitation'), name: 'Ann', password: PASSWORD })).status).toBe(201);
  const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
  const wrong: string[] = [];
  let tried = 0;
  for (const [template, ops] of Object.entries(paths)) {
    if (!template.startsWith('/api/') || template.startsWith('/api/auth/') || template === '/api/openapi.json') continue;
    for (const method of Object.keys(ops).map((m) => m.toUpperCase())) {
      // An id nobody has: nothing is changed, the permission is still judged first.
      const url = template.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-00000000dead');
      const below = url.slice('/api'.length);
      for (const [role, b] of Object.entries(roles)) {
        const needs = permissionFor(method, below.replace(/^\/flows\/[^/]+\/experiments/, '/flows/:id/experiments'));
        const allowed = ROLE_GRANTS[role as keyof typeof ROLE_GRANTS].includes(needs);
        const { status } = await b.call(method, url, method === 'GET' || method === 'DELETE' ? undefined : {});
        tried++;
        if ((status === 403) === allowed) wrong.push(`${role} ${method} ${url}: ${status} (${allowed ? 'allowed' : 'refused'} by the table: ${needs})`);
      }
    }
  }
  expect(tried).toBeGreaterThan(150);
  expect(wrong).toEqual([]);
});

test('sign-in: wrong passwords lock the account with back-off; signing out ends the session', async () => {
  // A cookie Tend never set (a malformed %-escape) is no session: 401, not a crash.
  const forged = await fetch(`${tend.url}/api/auth/sign-out-everywhere`, { method: 'POST', headers: { cookie: 'tend_session=%E0%A4%A' } });
  expect(forged.status).toBe(401);
  expect((await fetch(`${tend.url}/api/flows`, { headers: { cookie: 'tend_session=%E0%A4%A' } })).status).toBe(401);
  const stranger = browser();
  expect((await stranger.call('POST', '/api/auth/sign-in', { email: 'nobody@example.com', password: 'whatever it is' })).status).toBe(401);
  for (let i = 0; i < 5; i++) expect((await stranger.call('POST', '/api/auth/sign-in', { email: 'vera@example.com', password: `wrong ${i}` })).status).toBe(401);
  const locked = await stranger.call('POST', '/api/auth/sign-in', { email: 'vera@example.com', password: PASSWORD });
  expect(locked.status).toBe(429);
  expect(locked.body.title).toBe('Account locked for a while');
  // The lock over (as if a minute had passed), the right password works and clears the count.
  await tend.sql("UPDATE users SET locked_until = now() - interval '1 second' WHERE email = 'vera@example.com'");
  const again = browser();
  expect((await again.call('POST', '/api/auth/sign-in', { email: 'Vera@example.com', password: PASSWORD })).status).toBe(200);
  expect((await again.call('GET', '/api/flows')).status).toBe(200);
  expect((await again.call('POST', '/api/auth/sign-out')).status).toBe(204);
  expect((await again.call('GET', '/api/flows')).status).toBe(401);
  // Switched off by an admin: every session of theirs ends at once.
  const [vera] = await tend.sql<{ id: string }>("SELECT id FROM users WHERE email = 'vera@example.com'");
  expect((await owner.call('PATCH', `/api/users/${vera!.id}`, { disabled: true })).status).toBe(200);
  expect((await viewer.call('GET', '/api/flows')).status).toBe(401);
  expect((await browser().call('POST', '/api/auth/sign-in', { email: 'vera@example.com', password: PASSWORD })).status).toBe(401);
  // Nobody changes the owner's role, and nobody their own.
  const [olive] = await tend.sql<{ id: string }>("SELECT id FROM users WHERE role = 'owner'");
  expect((await owner.call('PATCH', `/api/users/${olive!.id}`, { role: 'viewer' })).status).toBe(409);
});

test('a forgotten password: the same answer for anyone, a link by email that works once, every session ended', async () => {
  const before = tend.mailbox.messages.length;
  const unknown = await browser().call('POST', '/api/auth/forgot-password', { email: 'nobody@example.com' });
  const known = await browser().call('POST', '/api/auth/forgot-password', { email: 'Mark@example.com' });
  expect(unknown).toMatchObject({ status: 202 });
  expect(known.body).toEqual(unknown.body);
  const mail = (await tend.mailbox.waitFor(before + 1)).at(-1)!;
  expect(mail.subject).toBe('Reset your Tend password');
  expect(tend.mailbox.messages.length).toBe(before + 1); // none for the unknown address
  const token = linkToken(mail, 'reset-password');
  expect((await browser().call('POST', '/api/auth/reset-password', { token: 'x'.repeat(43), password: 'an entirely new passphrase' })).status).toBe(404);
  const fresh = browser();
  const reset = await fresh.call('POST', '/api/auth/reset-password', { token, password: 'an entirely new passphrase' });
  expect(reset.status, JSON.stringify(reset.body)).toBe(200);
  expect(reset.body.user.email).toBe('mark@example.com');
  // The old sessions are gone, the link is used, the old password no longer works.
  expect((await marketer.call('GET', '/api/flows')).status).toBe(401);
  expect((await browser().call('POST', '/api/auth/reset-password', { token, password: 'yet another passphrase' })).status).toBe(404);
  expect((await browser().call('POST', '/api/auth/sign-in', { email: 'mark@example.com', password: PASSWORD })).status).toBe(401);
  expect((await browser().call('POST', '/api/auth/sign-in', { email: 'mark@example.com', password: 'an entirely new passphrase' })).status).toBe(200);
  expect((await fresh.call('GET', '/api/flows')).status).toBe(200);
});
