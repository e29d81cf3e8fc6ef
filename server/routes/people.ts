// People in the browser: /api/auth (set up the owner, sign in and out, the session,
// accept an invitation: no key needed) and, for admins, /api/users (invite, list,
// change a role, switch an account off) and /api/audit-log.
import crypto from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { Type } from '@sinclair/typebox';
import { router } from '../router.js';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import type { Mailer } from '../../engine/delivery/mailer.js';
import {
  INVITABLE_ROLES, acceptInvitation, createOwner, getUser, startPasswordReset, finishPasswordReset, endSession, endSessionsOf, invite, listInvitations, listUsers, signIn, startSession, updateUser, type User,
} from '../../engine/access/people.js';
import { listAudit, recordAudit } from '../../engine/access/audit.js';
import type { SingleSignOn } from '../../engine/access/oidc.js';
import { parseBody, intParam } from '../input.js';
import { route } from '../problem.js';
import { actorOf, sessionCaller, SESSION_COOKIE, type Caller } from '../auth.js';
import { escapeHtml } from './preferences.js';
import { isUuid } from '../../engine/ops/uuid.js';
import { ROLE_GRANTS } from '../scopes.js';

const Email = Type.String({ format: 'email', maxLength: 320 });
/** Long enough to resist guessing, short enough that Argon2 stays cheap. */
const Password = Type.String({ minLength: 12, maxLength: 200, description: 'At least 12 characters' });
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001F\\u007F]*$' });
const Token = Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' });

export const SetupInput = Type.Object({ token: Token, email: Email, name: Name, password: Password }, { additionalProperties: false });
export const SignInInput = Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export const AcceptInput = Type.Object({ token: Token, name: Name, password: Password }, { additionalProperties: false });
export const InviteInput = Type.Object({ email: Email, role: Type.Union(INVITABLE_ROLES.map((r) => Type.Literal(r))) }, { additionalProperties: false });
export const ForgotInput = Type.Object({ email: Email }, { additionalProperties: false });
export const ResetInput = Type.Object({ token: Token, password: Password }, { additionalProperties: false });
export const UserUpdate = Type.Object({ role: Type.Optional(Type.Union(INVITABLE_ROLES.map((r) => Type.Literal(r)))), disabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 });

const smallJson = express.json({ limit: '16kb', strict: true });

export interface PeopleDeps {
  db: Db;
  mailer?: Mailer;
  mailFrom: string;
  /** Where links in invitations point: the editor's own address. */
  publicUrl: () => string;
  /** Mark the cookie Secure (Tend behind TLS). */
  secureCookies: boolean;
  /** Single sign-on, when TEND_OIDC_ISSUER is set. */
  sso?: SingleSignOn;
}

/** The session cookie: unreadable by scripts, sent on top-level navigation from elsewhere (Lax) but not by other sites' forms and fetches. */
function setSessionCookie(req: Request, res: Response, deps: PeopleDeps, token: string | null): void {
  const secure = deps.secureCookies || req.secure;
  const parts = [`${SESSION_COOKIE}=${token ?? ''}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : []), ...(token ? [] : ['Max-Age=0'])];
  res.append('Set-Cookie', parts.join('; '));
}

const from = (req: Request) => ({ ip: req.ip, userAgent: req.get('user-agent') });

async function signedIn(req: Request, res: Response, deps: PeopleDeps, user: User, status = 200) {
  const session = await startSession(deps.db, user, from(req));
  setSessionCookie(req, res, deps, session.token);
  res.status(status).set('Cache-Control', 'no-store').json({ user, csrfToken: session.csrfToken, permissions: ROLE_GRANTS[user.role] });
}

/** /api/auth: reachable without a key; the routes that need a person read the cookie. */
export function authRouter(deps: PeopleDeps): Router {
  const r = router();
  r.use(smallJson);
  r.post('/setup', route(async (req, res) => {
    const body = parseBody(SetupInput, req.body);
    const owner = await createOwner(deps.db, body.token, body);
    await recordAudit(deps.db, { actor: { kind: 'user', id: owner.id, name: owner.email }, action: 'owner created', target: { kind: 'user', id: owner.id }, ip: req.ip });
    await signedIn(req, res, deps, owner, 201);
  }));
  r.post('/sign-in', route(async (req, res) => {
    const body = parseBody(SignInInput, req.body);
    const result = await signIn(deps.db, body.email, body.password);
    if ('refused' in result) {
      if (result.refused === 'locked') {
        const wait = Math.max(1, Math.ceil((result.until.getTime() - Date.now()) / 1000));
        throw new HttpProblem(429, 'Account locked for a while', [{ path: '/password', message: `too many wrong passwords; try again in ${wait} s` }], { headers: { 'Retry-After': String(wait) } });
      }
      throw new HttpProblem(401, 'Sign-in refused', [{ path: '/password', message: 'this email and password do not match an account' }]);
    }
    await signedIn(req, res, deps, result);
  }));
  r.post('/accept-invitation', route(async (req, res) => {
    const body = parseBody(AcceptInput, req.body);
    const user = await acceptInvitation(deps.db, body.token, body);
    await recordAudit(deps.db, { actor: { kind: 'user', id: user.id, name: user.email }, action: 'invitation accepted', target: { kind: 'user', id: user.id }, detail: { role: user.role }, ip: req.ip });
    await signedIn(req, res, deps, user, 201);
  }));
  const person = async (req: Request) => {
    const caller = await sessionCaller(deps.db, req);
    if (!caller) throw new HttpProblem(401, 'Not signed in', [{ path: '/headers/cookie', message: 'sign in first' }]);
    return caller;
  };
  // A forgotten password: the same answer whether or not the address has an account.
  r.post('/forgot-password', route(async (req, res) => {
    const { email } = parseBody(ForgotInput, req.body);
    const reset = await startPasswordReset(deps.db, email);
    if (reset && deps.mailer) {
      const link = `${deps.publicUrl()}/reset-password#${reset.token}`;
      await deps.mailer.send({
        from: deps.mailFrom, to: reset.user.email, subject: 'Reset your Tend password', messageId: `<reset-${crypto.randomUUID()}@tend>`, headers: {},
        text: `Someone (we hope you) asked to reset the password of your Tend account.\n\nChoose a new one: ${link}\n\nThe link works once, for an hour. If it was not you, ignore this email: your password stays as it is.`,
        html: `<p>Someone (we hope you) asked to reset the password of your Tend account.</p><p><a href="${escapeHtml(link)}">Choose a new password</a></p><p>The link works once, for an hour. If it was not you, ignore this email: your password stays as it is.</p>`,
      });
    }
    res.status(202).json({ message: 'If an account has this address, an email with a link is on its way.' });
  }));
  r.post('/reset-password', route(async (req, res) => {
    const body = parseBody(ResetInput, req.body);
    const user = await finishPasswordReset(deps.db, body.token, body.password);
    await recordAudit(deps.db, { actor: { kind: 'user', id: user.id, name: user.email }, action: 'password reset', target: { kind: 'user', id: user.id }, ip: req.ip });
    await signedIn(req, res, deps, user);
  }));
  // Who is signed in in this browser: nobody is an answer too (the editor asks on load).
  r.get('/session', route(async (req, res) => {
    const caller = await sessionCaller(deps.db, req);
    res.set('Cache-Control', 'no-store').json(caller
      ? { user: { id: caller.userId, email: caller.email, name: caller.name, role: caller.role }, csrfToken: caller.csrfToken, permissions: ROLE_GRANTS[caller.role] }
      : { user: null, csrfToken: null, permissions: [] });
  }));
  // Signing out needs no CSRF token: the worst a forged one does is sign you out.
  r.post('/sign-out', route(async (req, res) => {
    const caller = await sessionCaller(deps.db, req);
    if (caller) await endSession(deps.db, caller.sessionId);
    setSessionCookie(req, res, deps, null);
    res.status(204).end();
  }));
  // Single sign-on: whether there is a provider (the sign-in page asks), the way there and back.
  r.get('/providers', (_req, res) => void res.json({ oidc: deps.sso ? { name: deps.sso.name } : null }));
  const callback = () => `${deps.publicUrl()}/api/auth/oidc/callback`;
  r.get('/oidc/start', route(async (_req, res) => {
    if (!deps.sso) throw new HttpProblem(404, 'No single sign-on', [{ path: '/', message: 'TEND_OIDC_ISSUER is not set' }]);
    res.set('Cache-Control', 'no-store').redirect(302, (await deps.sso.start(callback())).href);
  }));
  r.get('/oidc/callback', route(async (req, res) => {
    if (!deps.sso) throw new HttpProblem(404, 'No single sign-on', [{ path: '/', message: 'TEND_OIDC_ISSUER is not set' }]);
    let user: User;
    try {
      user = await deps.sso.finish(new URL(req.originalUrl, callback()));
    } catch (err) {
      // Back to the sign-in page, which says what went wrong.
      const reason = err instanceof Error && 'errors' in err ? ((err as { errors: { message: string }[] }).errors[0]?.message ?? err.message) : 'the sign-on did not finish';
      return void res.redirect(302, `/?sso-error=${encodeURIComponent(reason.slice(0, 300))}`);
    }
    const session = await startSession(deps.db, user, from(req));
    setSessionCookie(req, res, deps, session.token);
    await recordAudit(deps.db, { actor: { kind: 'user', id: user.id, name: user.email }, action: 'signed in with single sign-on', target: { kind: 'user', id: user.id }, detail: { role: user.role }, ip: req.ip });
    res.set('Cache-Control', 'no-store').redirect(302, '/');
  }));
  r.post('/sign-out-everywhere', route(async (req, res) => {
    const caller = await person(req);
    const ended = await endSessionsOf(deps.db, caller.userId);
    setSessionCookie(req, res, deps, null);
    res.json({ sessionsEnded: ended });
  }));
  return r;
}

const inviteMail = (deps: PeopleDeps, to: string, role: string, by: string, link: string) => ({
  from: deps.mailFrom, to, subject: 'You are invited to Tend', messageId: `<invitation-${crypto.randomUUID()}@tend>`, headers: {},
  text: `${by} invites you to Tend as ${role}.\n\nCreate your account: ${link}\n\nThe link works for 7 days, once.`,
  html: `<p>${escapeHtml(by)} invites you to Tend as <strong>${escapeHtml(role)}</strong>.</p><p><a href="${escapeHtml(link)}">Create your account</a></p><p>The link works for 7 days, once.</p>`,
});

/** /api/users (admin): the team, invitations, roles. */
export function usersRouter(deps: PeopleDeps): Router {
  const r = router();
  r.get('/', route(async (_req, res) => void res.json({ users: await listUsers(deps.db), invitations: await listInvitations(deps.db) })));
  r.post('/invitations', route(async (req, res) => {
    const body = parseBody(InviteInput, req.body);
    const caller = res.locals.caller as Caller;
    const by = caller.kind === 'user' ? caller.name : 'An administrator';
    const made = await invite(deps.db, body.email, body.role, actorOf(caller).name);
    const link = `${deps.publicUrl()}/invitation#${made.token}`;
    if (!deps.mailer) throw new HttpProblem(503, 'No mail transport', [{ path: '/', message: 'Tend cannot send email here' }]);
    await deps.mailer.send(inviteMail(deps, made.email, made.role, by, link));
    const { token: _seen, ...invitation } = made;
    res.locals.audit = { target: { kind: 'invitation', id: made.id }, detail: { email: made.email, role: made.role } };
    res.status(201).json(invitation);
  }));
  r.patch('/:id', route(async (req, res) => {
    const id = String(req.params.id);
    const change = parseBody(UserUpdate, req.body);
    const caller = res.locals.caller as Caller;
    if (caller.kind === 'user' && caller.userId === id) throw new HttpProblem(409, 'Not your own account', [{ path: '/id', message: 'another admin changes your role or switches your account off' }]);
    const user = isUuid(id) ? await updateUser(deps.db, id, change) : undefined;
    if (!user) throw new HttpProblem(404, 'Unknown person', [{ path: '/id', message: `no account has id ${id}` }]);
    res.locals.audit = { target: { kind: 'user', id }, detail: change };
    res.json(user);
  }));
  r.post('/:id/sign-out', route(async (req, res) => {
    const id = String(req.params.id);
    if (!isUuid(id) || !(await getUser(deps.db, id))) throw new HttpProblem(404, 'Unknown person', [{ path: '/id', message: `no account has id ${id}` }]);
    res.locals.audit = { target: { kind: 'user', id } };
    res.json({ sessionsEnded: await endSessionsOf(deps.db, id) });
  }));
  return r;
}

/** /api/audit-log (admin): newest first, filtered by who, what or which thing; `before` pages back. */
export function auditRouter(db: Db): Router {
  const r = router();
  r.get('/', route(async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const text = (name: string) => (typeof q[name] === 'string' ? (q[name] as string) : undefined);
    const limit = intParam(q.limit, 'limit', { min: 1, max: 500, fallback: 100 });
    const entries = await listAudit(db, { actor: text('actor'), action: text('action'), targetId: text('target'), before: text('before'), limit });
    res.json({ entries, next: entries.length === limit ? entries.at(-1)!.id : null });
  }));
  return r;
}
