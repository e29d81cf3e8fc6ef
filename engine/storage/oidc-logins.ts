// Single sign-ons under way (`oidc_logins`): a started sign-in's state, nonce and PKCE
// verifier until the provider sends the browser back.
import type { Queryable } from './db.js';

export async function forgetLoginsBefore(db: Queryable, before: Date): Promise<void> {
  await db.query('DELETE FROM oidc_logins WHERE created_at < $1', [before]);
}

export async function storeLogin(db: Queryable, state: string, nonce: string, verifier: string): Promise<void> {
  await db.query('INSERT INTO oidc_logins (state, nonce, verifier) VALUES ($1, $2, $3)', [state, nonce, verifier]);
}

/** The sign-in started with `state` after `since`, taken (it works once). */
export async function takeLogin(db: Queryable, state: string, since: Date): Promise<{ nonce: string; verifier: string } | undefined> {
  return (await db.query<{ nonce: string; verifier: string }>(
    'DELETE FROM oidc_logins WHERE state = $1 AND created_at > $2 RETURNING nonce, verifier', [state, since],
  )).rows[0];
}
