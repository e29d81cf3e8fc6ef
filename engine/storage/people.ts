// People's accounts (`users`), their browser sessions (`user_sessions`), invitations,
// password resets and the owner's one-time setup token (kept hashed in `settings`).
import type { Queryable } from './db.js';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: 'owner' | 'admin' | 'marketer' | 'viewer';
  password_hash: string;
  created_at: Date;
  disabled_at: Date | null;
  failed_sign_ins: number;
  locked_until: Date | null;
}

export interface InvitationRow { id: string; email: string; role: UserRow['role']; invited_by: string; created_at: Date; expires_at: Date; accepted_at: Date | null }

export async function countUserRows(db: Queryable): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0]!.n;
}

export async function userRows(db: Queryable): Promise<UserRow[]> {
  return (await db.query<UserRow>('SELECT * FROM users ORDER BY created_at, id')).rows;
}

export async function userRow(db: Queryable, id: string): Promise<UserRow | undefined> {
  return (await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id])).rows[0];
}

export async function userRowByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  return (await db.query<UserRow>('SELECT * FROM users WHERE email = $1', [email])).rows[0];
}

export async function emailHasAccount(db: Queryable, email: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM users WHERE email = $1', [email])).rows.length > 0;
}

export async function storeSetupTokenHash(db: Queryable, tokenHash: string): Promise<void> {
  await db.query("INSERT INTO settings (key, value) VALUES ('owner_setup_token', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [tokenHash]);
}

/** Until the transaction ends, no account is made by anyone else (the first one is the owner). */
export async function lockUsers(tx: Queryable): Promise<void> {
  await tx.query('LOCK TABLE users IN EXCLUSIVE MODE');
}

export async function setupTokenHash(tx: Queryable): Promise<string | undefined> {
  return (await tx.query<{ value: string }>("SELECT value FROM settings WHERE key = 'owner_setup_token'")).rows[0]?.value;
}

export async function deleteSetupToken(tx: Queryable): Promise<void> {
  await tx.query("DELETE FROM settings WHERE key = 'owner_setup_token'");
}

export async function insertOwner(tx: Queryable, email: string, name: string, passwordHash: string): Promise<UserRow> {
  const { rows } = await tx.query<UserRow>("INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, 'owner', $3) RETURNING *", [email, name, passwordHash]);
  return rows[0]!;
}

export interface NewSession { userId: string; tokenHash: string; csrfToken: string; expiresAt: Date; ip: string | null; userAgent: string | null }

export async function insertSession(db: Queryable, s: NewSession): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO user_sessions (user_id, token_hash, csrf_token, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [s.userId, s.tokenHash, s.csrfToken, s.expiresAt, s.ip, s.userAgent],
  );
  return rows[0]!.id;
}

/** A live session by its token's hash, with its person (not disabled). */
export async function liveSessionRow(db: Queryable, tokenHash: string): Promise<(UserRow & { session_id: string; csrf_token: string; last_seen_at: Date }) | undefined> {
  const { rows } = await db.query<UserRow & { session_id: string; csrf_token: string; last_seen_at: Date }>(
    `SELECT u.*, s.id AS session_id, s.csrf_token, s.last_seen_at
     FROM user_sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > now() AND u.disabled_at IS NULL`,
    [tokenHash],
  );
  return rows[0];
}

/** The session is in use: it lasts `idleSeconds` from now. */
export async function touchSession(db: Queryable, sessionId: string, idleSeconds: number): Promise<void> {
  await db.query('UPDATE user_sessions SET last_seen_at = now(), expires_at = now() + $2::interval WHERE id = $1', [sessionId, `${idleSeconds} seconds`]);
}

export async function deleteSession(db: Queryable, sessionId: string): Promise<void> {
  await db.query('DELETE FROM user_sessions WHERE id = $1', [sessionId]);
}

/** Returns how many were deleted. */
export async function deleteSessionsOf(db: Queryable, userId: string): Promise<number> {
  return (await db.query('DELETE FROM user_sessions WHERE user_id = $1', [userId])).rowCount ?? 0;
}

export async function setSignInFailures(db: Queryable, userId: string, failures: number, lockedUntil: Date | null): Promise<void> {
  await db.query('UPDATE users SET failed_sign_ins = $2, locked_until = $3 WHERE id = $1', [userId, failures, lockedUntil]);
}

export async function clearSignInFailures(db: Queryable, userId: string): Promise<void> {
  await db.query('UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1', [userId]);
}

export async function insertInvitation(db: Queryable, email: string, role: string, tokenHash: string, invitedBy: string, expiresAt: Date): Promise<InvitationRow> {
  const { rows } = await db.query<InvitationRow>(
    'INSERT INTO user_invitations (email, role, token_hash, invited_by, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING *',
    [email, role, tokenHash, invitedBy, expiresAt],
  );
  return rows[0]!;
}

export async function invitationRows(db: Queryable): Promise<InvitationRow[]> {
  return (await db.query<InvitationRow>('SELECT * FROM user_invitations ORDER BY created_at DESC, id')).rows;
}

/** Marks the live, unused invitation with this token's hash accepted; undefined when there is none. */
export async function takeInvitation(tx: Queryable, tokenHash: string): Promise<InvitationRow | undefined> {
  return (await tx.query<InvitationRow>(
    'UPDATE user_invitations SET accepted_at = now() WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > now() RETURNING *', [tokenHash],
  )).rows[0];
}

/** The new account, or undefined when the email has one already. */
export async function insertUserUnlessTaken(tx: Queryable, email: string, name: string, role: string, passwordHash: string): Promise<UserRow | undefined> {
  const { rows } = await tx.query<UserRow>(
    'INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO NOTHING RETURNING *', [email, name, role, passwordHash],
  );
  return rows[0];
}

export async function userRowForUpdate(tx: Queryable, id: string): Promise<UserRow | undefined> {
  return (await tx.query<UserRow>('SELECT * FROM users WHERE id = $1 FOR UPDATE', [id])).rows[0];
}

/** A null leaves that part as it is. */
export async function updateUserRow(tx: Queryable, id: string, role: string | null, disabled: boolean | null): Promise<UserRow> {
  const { rows } = await tx.query<UserRow>(
    'UPDATE users SET role = coalesce($2, role), disabled_at = CASE WHEN $3::boolean IS NULL THEN disabled_at WHEN $3 THEN coalesce(disabled_at, now()) ELSE NULL END WHERE id = $1 RETURNING *',
    [id, role, disabled],
  );
  return rows[0]!;
}

/** The account with this sign-on subject, else with this email, locked for update. */
export async function ssoUserRowForUpdate(tx: Queryable, subject: string, email: string): Promise<UserRow | undefined> {
  return (await tx.query<UserRow>('SELECT * FROM users WHERE sso_subject = $1 OR email = $2 ORDER BY (sso_subject = $1) DESC NULLS LAST LIMIT 1 FOR UPDATE', [subject, email])).rows[0];
}

/** Links the account to the sign-on subject and gives it the provider's role (the owner's stays). */
export async function linkSsoUser(tx: Queryable, id: string, subject: string, role: string): Promise<UserRow> {
  const { rows } = await tx.query<UserRow>("UPDATE users SET sso_subject = $2, role = CASE WHEN role = 'owner' THEN role ELSE $3 END WHERE id = $1 RETURNING *", [id, subject, role]);
  return rows[0]!;
}

export async function insertSsoUser(tx: Queryable, email: string, name: string, role: string, subject: string): Promise<UserRow> {
  const { rows } = await tx.query<UserRow>("INSERT INTO users (email, name, role, password_hash, sso_subject) VALUES ($1, $2, $3, '!single-sign-on', $4) RETURNING *", [email, name, role, subject]);
  return rows[0]!;
}

/** An enabled account with a password of its own (not single sign-on's). */
export async function passwordUserRowByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  return (await db.query<UserRow>("SELECT * FROM users WHERE email = $1 AND disabled_at IS NULL AND password_hash LIKE '$argon2%'", [email])).rows[0];
}

export async function insertPasswordReset(db: Queryable, tokenHash: string, userId: string, expiresAt: Date): Promise<void> {
  await db.query('INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [tokenHash, userId, expiresAt]);
}

/** Marks the live, unused reset with this token's hash used; its account, or undefined when there is none. */
export async function takePasswordReset(tx: Queryable, tokenHash: string): Promise<{ user_id: string } | undefined> {
  return (await tx.query<{ user_id: string }>(
    'UPDATE password_resets SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id', [tokenHash],
  )).rows[0];
}

/** The new password, the lockout cleared; undefined when the account is switched off. */
export async function setPasswordHash(tx: Queryable, userId: string, passwordHash: string): Promise<UserRow | undefined> {
  const { rows } = await tx.query<UserRow>('UPDATE users SET password_hash = $2, failed_sign_ins = 0, locked_until = NULL WHERE id = $1 AND disabled_at IS NULL RETURNING *', [userId, passwordHash]);
  return rows[0];
}

/** The account's other reset links stop working. */
export async function usePasswordResetsOf(tx: Queryable, userId: string): Promise<void> {
  await tx.query('UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL', [userId]);
}
