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

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  created_at: Date;
  disabled_at: Date | null;
  failed_sign_ins: number;
  locked_until: Date | null;
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
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0]!.n;
}

export async function listUsers(db: Queryable): Promise<User[]> {
  return (await db.query<UserRow>('SELECT * FROM users ORDER BY created_at, id')).rows.map(toUser);
}

export async function getUser(db: Queryable, id: string): Promise<User | undefined> {
  const row = (await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id])).rows[0];
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
  await db.query("INSERT INTO settings (key, value) VALUES ('owner_setup_token', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [sha256(t)]);
  return t;
}

/** Creates the owner with the setup token; refused once there is any account. */
export async function createOwner(db: Db, setup: string, who: { email: string; name: string; password: string }): Promise<User> {
  const passwordHash = await hashPassword(who.password);
  return transaction(db, async (tx) => {
    await tx.query('LOCK TABLE users IN EXCLUSIVE MODE');
    const stored = (await tx.query<{ value: string }>("SELECT value FROM settings WHERE key = 'owner_setup_token'")).rows[0]?.value;
    const given = sha256(setup);
    if ((await countUsers(tx)) > 0 || !stored || !crypto.timingSafeEqual(Buffer.from(stored), Buffer.from(given))) {
      throw new EngineProblem('not-found', 'No such setup link', [{ path: '/token', message: 'this setup link was used already or is not the one Tend printed' }]);
    }
    await tx.query("DELETE FROM settings WHERE key = 'owner_setup_token'");
    const { rows } = await tx.query<UserRow>("INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, 'owner', $3) RETURNING *", [normaliseEmail(who.email), who.name, passwordHash]);
    return toUser(rows[0]!);
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
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO user_sessions (user_id, token_hash, csrf_token, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [user.id, sha256(t), csrf, new Date(Date.now() + SESSION_IDLE_MS), from.ip ?? null, from.userAgent?.slice(0, 300) ?? null],
  );
  return { user, sessionId: rows[0]!.id, csrfToken: csrf, token: t };
}

/** A session in use is extended at most this often: every request of a busy editor would otherwise write a row. */
const SESSION_TOUCH_MS = 60_000;

/** The session a cookie's token names, if live (not expired, its person not disabled); use extends it. */
export async function findSession(db: Queryable, t: string): Promise<Session | undefined> {
  const { rows } = await db.query<UserRow & { session_id: string; csrf_token: string; last_seen_at: Date }>(
    `SELECT u.*, s.id AS session_id, s.csrf_token, s.last_seen_at
     FROM user_sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > now() AND u.disabled_at IS NULL`,
    [sha256(t)],
  );
  const r = rows[0];
  if (!r) return undefined;
  if (Date.now() - r.last_seen_at.getTime() >= SESSION_TOUCH_MS) {
    await db.query('UPDATE user_sessions SET last_seen_at = now(), expires_at = now() + $2::interval WHERE id = $1', [r.session_id, `${SESSION_IDLE_MS / 1000} seconds`]);
  }
  return { user: toUser(r), sessionId: r.session_id, csrfToken: r.csrf_token };
}

export async function endSession(db: Queryable, sessionId: string): Promise<void> {
  await db.query('DELETE FROM user_sessions WHERE id = $1', [sessionId]);
}

/** Signs a person out of every browser. */
export async function endSessionsOf(db: Queryable, userId: string): Promise<number> {
  return (await db.query('DELETE FROM user_sessions WHERE user_id = $1', [userId])).rowCount ?? 0;
}

/** Why a sign-in was refused: a wrong email or password (never said which), or an account locked for now. */
export type SignInRefusal = { refused: 'password' } | { refused: 'locked'; until: Date };

/**
 * Checks an email and password. A wrong password counts against the account; past five
 * in a row it is locked for a minute, doubling with each further failure up to an hour.
 * The answer never says whether the email has an account.
 */
export async function signIn(db: Db, email: string, password: string): Promise<User | SignInRefusal> {
  const row = (await db.query<UserRow>('SELECT * FROM users WHERE email = $1', [normaliseEmail(email)])).rows[0];
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
    await db.query('UPDATE users SET failed_sign_ins = $2, locked_until = $3 WHERE id = $1', [row.id, failures, lock ? new Date(Date.now() + lock) : null]);
    return { refused: 'password' };
  }
  if (row.disabled_at) return { refused: 'password' };
  await db.query('UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1', [row.id]);
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

interface InvitationRow { id: string; email: string; role: Role; invited_by: string; created_at: Date; expires_at: Date; accepted_at: Date | null }
const toInvitation = (r: InvitationRow): Invitation => ({ id: r.id, email: r.email, role: r.role, invitedBy: r.invited_by, createdAt: r.created_at.toISOString(), expiresAt: r.expires_at.toISOString(), acceptedAt: r.accepted_at?.toISOString() ?? null });

/** An invitation; the returned `token` (the link's) is seen once, here. */
export async function invite(db: Queryable, email: string, role: (typeof INVITABLE_ROLES)[number], invitedBy: string): Promise<Invitation & { token: string }> {
  const address = normaliseEmail(email);
  if ((await db.query('SELECT 1 FROM users WHERE email = $1', [address])).rows.length) {
    throw new EngineProblem('conflict', 'Already a member', [{ path: '/email', message: `${address} has an account already` }]);
  }
  const t = token();
  const { rows } = await db.query<InvitationRow>(
    'INSERT INTO user_invitations (email, role, token_hash, invited_by, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING *',
    [address, role, sha256(t), invitedBy, new Date(Date.now() + INVITATION_MS)],
  );
  return { ...toInvitation(rows[0]!), token: t };
}

export async function listInvitations(db: Queryable): Promise<Invitation[]> {
  return (await db.query<InvitationRow>('SELECT * FROM user_invitations ORDER BY created_at DESC, id')).rows.map(toInvitation);
}

/** Accepts an invitation: the account is made with the invited email and role; the link works once. */
export async function acceptInvitation(db: Db, t: string, who: { name: string; password: string }): Promise<User> {
  const passwordHash = await hashPassword(who.password);
  return transaction(db, async (tx) => {
    const inv = (await tx.query<InvitationRow>(
      'UPDATE user_invitations SET accepted_at = now() WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > now() RETURNING *', [sha256(t)],
    )).rows[0];
    if (!inv) throw new EngineProblem('not-found', 'No such invitation', [{ path: '/token', message: 'this invitation was used already, has expired, or is not one Tend sent' }]);
    const { rows } = await tx.query<UserRow>(
      'INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO NOTHING RETURNING *', [inv.email, who.name, inv.role, passwordHash],
    );
    if (!rows[0]) throw new EngineProblem('conflict', 'Already a member', [{ path: '/token', message: `${inv.email} has an account already` }]);
    return toUser(rows[0]);
  });
}

/** Changes a person's role or switches their account off; the owner stays owner (only they could hand it on). */
export async function updateUser(db: Db, id: string, change: { role?: (typeof INVITABLE_ROLES)[number]; disabled?: boolean }): Promise<User | undefined> {
  return transaction(db, async (tx) => {
    const current = (await tx.query<UserRow>('SELECT * FROM users WHERE id = $1 FOR UPDATE', [id])).rows[0];
    if (!current) return undefined;
    if (current.role === 'owner') throw new EngineProblem('conflict', 'The owner stays owner', [{ path: '/role', message: 'the owner\'s role and account cannot be changed by others' }]);
    const { rows } = await tx.query<UserRow>(
      'UPDATE users SET role = coalesce($2, role), disabled_at = CASE WHEN $3::boolean IS NULL THEN disabled_at WHEN $3 THEN coalesce(disabled_at, now()) ELSE NULL END WHERE id = $1 RETURNING *',
      [id, change.role ?? null, change.disabled ?? null],
    );
    if (change.disabled) await tx.query('DELETE FROM user_sessions WHERE user_id = $1', [id]);
    return toUser(rows[0]!);
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
    const found = (await tx.query<UserRow>('SELECT * FROM users WHERE sso_subject = $1 OR email = $2 ORDER BY (sso_subject = $1) DESC NULLS LAST LIMIT 1 FOR UPDATE', [who.subject, email])).rows[0];
    if (found?.disabled_at) throw new EngineProblem('invalid', 'Account switched off', [{ path: '/email', message: 'an admin switched this account off' }]);
    const { rows } = found
      ? await tx.query<UserRow>("UPDATE users SET sso_subject = $2, role = CASE WHEN role = 'owner' THEN role ELSE $3 END WHERE id = $1 RETURNING *", [found.id, who.subject, who.role])
      : await tx.query<UserRow>("INSERT INTO users (email, name, role, password_hash, sso_subject) VALUES ($1, $2, $3, '!single-sign-on', $4) RETURNING *", [email, who.name, who.role, who.subject]);
    return toUser(rows[0]!);
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
  const row = (await db.query<UserRow>("SELECT * FROM users WHERE email = $1 AND disabled_at IS NULL AND password_hash LIKE '$argon2%'", [normaliseEmail(email)])).rows[0];
  if (!row) return undefined;
  const t = token();
  await db.query('INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [sha256(t), row.id, new Date(Date.now() + RESET_MS)]);
  return { user: toUser(row), token: t };
}

/** Sets the new password from a reset link (once, within the hour); every session of the account ends. */
export async function finishPasswordReset(db: Db, t: string, password: string): Promise<User> {
  const passwordHash = await hashPassword(password);
  return transaction(db, async (tx) => {
    const reset = (await tx.query<{ user_id: string }>(
      'UPDATE password_resets SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id', [sha256(t)],
    )).rows[0];
    if (!reset) throw new EngineProblem('not-found', 'No such reset link', [{ path: '/token', message: 'this link was used already, is older than an hour, or is not one Tend sent' }]);
    const { rows } = await tx.query<UserRow>('UPDATE users SET password_hash = $2, failed_sign_ins = 0, locked_until = NULL WHERE id = $1 AND disabled_at IS NULL RETURNING *', [reset.user_id, passwordHash]);
    if (!rows[0]) throw new EngineProblem('not-found', 'No such reset link', [{ path: '/token', message: 'this account is switched off' }]);
    await tx.query('DELETE FROM user_sessions WHERE user_id = $1', [reset.user_id]);
    await tx.query('UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL', [reset.user_id]);
    return toUser(rows[0]);
  });
}
