// People who use Tend in a browser: accounts with a role, passwords (Argon2id), sessions
// (a random token in a cookie; only its SHA-256 is stored), the one-time link that
// creates the owner on a new Tend, and invitations by email. What each role may do is
// decided with the key scopes, in one table: server/scopes.ts.
import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Queryable } from '../storage/db.js';
import { transaction, type Db } from '../storage/db.js';
import { EngineProblem } from '../ops/errors.js';
import { normaliseEmail } from '../storage/contacts.js';
import {
  clearSignInFailures, countUserRows, deleteSession, deleteSessionsOf, deleteSetupToken, emailHasAccount, insertInvitation, insertOwner, insertPasswordReset,
  insertSession, insertSsoUser, insertUserUnlessTaken, invitationRows, linkSsoUser, liveSessionRow, lockUsers, passwordUserRowByEmail, setPasswordHash,
  setSignInFailures, setupTokenHash, ssoUserRowForUpdate, storeSetupTokenHash, takeInvitation, takePasswordReset, touchSession, updateUserRow,
  usePasswordResetsOf, userRow, userRowByEmail, userRowForUpdate, userRows, type InvitationRow, type UserRow,
} from '../storage/people.js';

export const ROLES = ['owner', 'admin', 'marketer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
/** The roles an invitation may give: there is one owner, the one who set Tend up. */
export const INVITABLE_ROLES = ['admin', 'marketer', 'viewer'] as const;

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
}

const toUser = (r: UserRow): User => ({ id: r.id, email: r.email, name: r.name, role: r.role, createdAt: r.created_at.toISOString(), disabledAt: r.disabled_at?.toISOString() ?? null });
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const token = () => crypto.randomBytes(32).toString('base64url');

/** How long a session lasts without use, and at most. */
export const SESSION_IDLE_MS = 7 * 24 * 3_600_000;
/** An invitation's link works this long. */
export const INVITATION_MS = 7 * 24 * 3_600_000;
/** Failed sign-ins before an account is locked; each further failure doubles the lock, up to an hour. */
const FREE_FAILURES = 5;
const MAX_LOCK_MS = 3_600_000;

export const hashPassword = (password: string) => hash(password, { algorithm: 2 /* Argon2id */ });

export async function countUsers(db: Queryable): Promise<number> {
  return countUserRows(db);
}

export async function listUsers(db: Queryable): Promise<User[]> {
  return (await userRows(db)).map(toUser);
}

export async function getUser(db: Queryable, id: string): Promise<User | undefined> {
  const row = await userRow(db, id);
  return row ? toUser(row) : undefined;
}

/**
 * The one-time setup link of a new Tend: while nobody has an account, a token (kept
 * hashed) lets the first person create the owner. Returns the token to print, or
 * undefined once an owner exists. A new token replaces an unused one at each start.
 */
export async function setupToken(db: Queryable): Promise<string | undefined> {
  if ((await countUsers(db)) > 0) return undefined;
  const t = token();
  await storeSetupTokenHash(db, sha256(t));
  return t;
}

/** Creates the owner with the setup token; refused once there is any account. */
export async function createOwner(db: Db, setup: string, who: { email: string; name: string; password: string }): Promise<User> {
  const passwordHash = await hashPassword(who.password);
  return transaction(db, async (tx) => {
    await lockUsers(tx);
    const stored = await setupTokenHash(tx);
    const given = sha256(setup);
    if ((await countUsers(tx)) > 0 || !stored || !crypto.timingSafeEqual(Buffer.from(stored), Buffer.from(given))) {
      throw new EngineProblem('not-found', 'No such setup link', [{ path: '/token', message: 'this setup link was used already or is not the one Tend printed' }]);
    }
    await deleteSetupToken(tx);
    return toUser(await insertOwner(tx, normaliseEmail(who.email), who.name, passwordHash));
  });
}

export interface Session {
  user: User;
  sessionId: string;
  csrfToken: string;
}

/** Starts a session: the returned `token` goes in the cookie and is never stored. */
export async function startSession(db: Queryable, user: User, from: { ip?: string; userAgent?: string }): Promise<Session & { token: string }> {
  const t = token();
  const csrf = token();
  const sessionId = await insertSession(db, {
    userId: user.id, tokenHash: sha256(t), csrfToken: csrf, expiresAt: new Date(Date.now() + SESSION_IDLE_MS), ip: from.ip ?? null, userAgent: from.userAgent?.slice(0, 300) ?? null,
  });
  return { user, sessionId, csrfToken: csrf, token: t };
}

/** A session in use is extended at most this often: every request of a busy editor would otherwise write a row. */
const SESSION_TOUCH_MS = 60_000;

/** The session a cookie's token names, if live (not expired, its person not disabled); use extends it. */
export async function findSession(db: Queryable, t: string): Promise<Session | undefined> {
  const r = await liveSessionRow(db, sha256(t));
  if (!r) return undefined;
  if (Date.now() - r.last_seen_at.getTime() >= SESSION_TOUCH_MS) {
    await touchSession(db, r.session_id, SESSION_IDLE_MS / 1000);
  }
  return { user: toUser(r), sessionId: r.session_id, csrfToken: r.csrf_token };
}

export async function endSession(db: Queryable, sessionId: string): Promise<void> {
  await deleteSession(db, sessionId);
}

/** Signs a person out of every browser. */
export async function endSessionsOf(db: Queryable, userId: string): Promise<number> {
  return deleteSessionsOf(db, userId);
}

/** Why a sign-in was refused: a wrong email or password (never said which), or an account locked for now. */
export type SignInRefusal = { refused: 'password' } | { refused: 'locked'; until: Date };

/**
 * Checks an email and password. A wrong password counts against the account; past five
 * in a row it is locked for a minute, doubling with each further failure up to an hour.
 * The answer never says whether the email has an account.
 */
export async function signIn(db: Db, email: string, password: string): Promise<User | SignInRefusal> {
  const row = await userRowByEmail(db, normaliseEmail(email));
  if (!row) {
    await hashPassword(password); // the same time as a real check: the answer's speed tells nothing
    return { refused: 'password' };
  }
  if (row.locked_until && row.locked_until > new Date()) return { refused: 'locked', until: row.locked_until };
  // An account made by single sign-on has no password here.
  const good = row.password_hash.startsWith('$argon2') && await verify(row.password_hash, password);
  if (!good) {
    const failures = row.failed_sign_ins + 1;
    const lock = failures >= FREE_FAILURES ? Math.min(MAX_LOCK_MS, 60_000 * 2 ** (failures - FREE_FAILURES)) : 0;
    await setSignInFailures(db, row.id, failures, lock ? new Date(Date.now() + lock) : null);
    return { refused: 'password' };
  }
  if (row.disabled_at) return { refused: 'password' };
  await clearSignInFailures(db, row.id);
  return toUser(row);
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
}

const toInvitation = (r: InvitationRow): Invitation => ({ id: r.id, email: r.email, role: r.role, invitedBy: r.invited_by, createdAt: r.created_at.toISOString(), expiresAt: r.expires_at.toISOString(), acceptedAt: r.accepted_at?.toISOString() ?? null });

/** An invitation; the returned `token` (the link's) is seen once, here. */
export async function invite(db: Queryable, email: string, role: (typeof INVITABLE_ROLES)[number], invitedBy: string): Promise<Invitation & { token: string }> {
  const address = normaliseEmail(email);
  if (await emailHasAccount(db, address)) {
    throw new EngineProblem('conflict', 'Already a member', [{ path: '/email', message: `${address} has an account already` }]);
  }
  const t = token();
  const row = await insertInvitation(db, address, role, sha256(t), invitedBy, new Date(Date.now() + INVITATION_MS));
  return { ...toInvitation(row), token: t };
}

export async function listInvitations(db: Queryable): Promise<Invitation[]> {
  return (await invitationRows(db)).map(toInvitation);
}

/** Accepts an invitation: the account is made with the invited email and role; the link works once. */
export async function acceptInvitation(db: Db, t: string, who: { name: string; password: string }): Promise<User> {
  const passwordHash = await hashPassword(who.password);
  return transaction(db, async (tx) => {
    const inv = await takeInvitation(tx, sha256(t));
    if (!inv) throw new EngineProblem('not-found', 'No such invitation', [{ path: '/token', message: 'this invitation was used already, has expired, or is not one Tend sent' }]);
    const made = await insertUserUnlessTaken(tx, inv.email, who.name, inv.role, passwordHash);
    if (!made) throw new EngineProblem('conflict', 'Already a member', [{ path: '/token', message: `${inv.email} has an account already` }]);
    return toUser(made);
  });
}

/** Changes a person's role or switches their account off; the owner stays owner (only they could hand it on). */
export async function updateUser(db: Db, id: string, change: { role?: (typeof INVITABLE_ROLES)[number]; disabled?: boolean }): Promise<User | undefined> {
  return transaction(db, async (tx) => {
    const current = await userRowForUpdate(tx, id);
    if (!current) return undefined;
    if (current.role === 'owner') throw new EngineProblem('conflict', 'The owner stays owner', [{ path: '/role', message: 'the owner\'s role and account cannot be changed by others' }]);
    const updated = await updateUserRow(tx, id, change.role ?? null, change.disabled ?? null);
    if (change.disabled) await deleteSessionsOf(tx, id);
    return toUser(updated);
  });
}

/**
 * The account of a person the sign-on provider vouched for: found by the provider's
 * subject, else by email (an invited person, or one who had a password first), else
 * made. The provider's role is theirs at each sign-in, except the owner's, which stays.
 */
export async function ssoUser(db: Db, who: { subject: string; email: string; name: string; role: (typeof INVITABLE_ROLES)[number] }): Promise<User> {
  return transaction(db, async (tx) => {
    const email = normaliseEmail(who.email);
    const found = await ssoUserRowForUpdate(tx, who.subject, email);
    if (found?.disabled_at) throw new EngineProblem('invalid', 'Account switched off', [{ path: '/email', message: 'an admin switched this account off' }]);
    return toUser(found ? await linkSsoUser(tx, found.id, who.subject, who.role) : await insertSsoUser(tx, email, who.name, who.role, who.subject));
  });
}

/** A reset link works this long. */
export const RESET_MS = 3_600_000;

/**
 * A password reset for the account with this email, if there is one with a password
 * (an account of single sign-on has none here): the token for the emailed link, or
 * undefined. The caller answers the same either way, so nobody learns who has an account.
 */
export async function startPasswordReset(db: Queryable, email: string): Promise<{ user: User; token: string } | undefined> {
  const row = await passwordUserRowByEmail(db, normaliseEmail(email));
  if (!row) return undefined;
  const t = token();
  await insertPasswordReset(db, sha256(t), row.id, new Date(Date.now() + RESET_MS));
  return { user: toUser(row), token: t };
}

/** Sets the new password from a reset link (once, within the hour); every session of the account ends. */
export async function finishPasswordReset(db: Db, t: string, password: string): Promise<User> {
  const passwordHash = await hashPassword(password);
  return transaction(db, async (tx) => {
    const reset = await takePasswordReset(tx, sha256(t));
    if (!reset) throw new EngineProblem('not-found', 'No such reset link', [{ path: '/token', message: 'this link was used already, is older than an hour, or is not one Tend sent' }]);
    const updated = await setPasswordHash(tx, reset.user_id, passwordHash);
    if (!updated) throw new EngineProblem('not-found', 'No such reset link', [{ path: '/token', message: 'this account is switched off' }]);
    await deleteSessionsOf(tx, reset.user_id);
    await usePasswordResetsOf(tx, reset.user_id);
    return toUser(updated);
  });
}
