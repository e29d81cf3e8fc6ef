// Signed links (unsubscribe, preference page, open / click tracking, visit tokens) so
// nobody can act for another contact. The secret is made on first start and kept in
// the settings table. It rotates (`tend secrets rotate`): links are signed with the
// current secret and accepted under the current or the previous one, so mail sent
// before a rotation keeps working until the next. The keyring travels as one string,
// current first, separated by a space.
import crypto from 'node:crypto';
import type { Queryable } from '../storage/db.js';
import { previousSigningSecret, rotateSigningSecrets, settingOrInsert, signingSecretRows } from '../storage/signing-secrets.js';

export async function setting(db: Queryable, key: string, make: () => string): Promise<string> {
  return settingOrInsert(db, key, make());
}

const newSecret = () => crypto.randomBytes(32).toString('hex');

/** The keyring: the current secret, then the previous one when there is one. */
export async function signingSecret(db: Queryable): Promise<string> {
  const current = await setting(db, 'signing_secret', newSecret);
  const previous = await previousSigningSecret(db);
  return previous ? `${current} ${previous}` : current;
}

/**
 * Makes a new current secret; the current one becomes the previous (the one before is
 * forgotten: links signed with it stop working). Servers and workers read the keyring
 * when they start.
 */
export async function rotateSigningSecret(db: Queryable): Promise<void> {
  await rotateSigningSecrets(db, newSecret(), ROTATED_AT, new Date().toISOString());
}

// Not under signing_secret…: those keys hold secrets, and only the current and previous are kept.
const ROTATED_AT = 'signing_rotated_at';

/** For the Settings screen: when the secret was last rotated (null: never), and whether links signed before it still work. */
export async function signingSecretStatus(db: Queryable): Promise<{ rotatedAt: string | null; previousAccepted: boolean }> {
  const rows = await signingSecretRows(db, ROTATED_AT);
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  return { rotatedAt: value(ROTATED_AT) ?? null, previousAccepted: value('signing_secret_previous') !== undefined };
}

const ring = (secret: string) => secret.split(' ').filter(Boolean);

function hmac(secret: string, payload: string): string {
  return crypto.createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 32);
}

/** Signs with the current secret of the keyring. */
export function sign(secret: string, payload: string): string {
  return hmac(ring(secret)[0] ?? '', payload);
}

/** Whether `signature` is the payload's under any secret of the keyring (constant time each). */
export function signatureValid(secret: string, payload: string, signature: string): boolean {
  const given = Buffer.from(signature);
  return ring(secret).some((s) => {
    const expected = Buffer.from(hmac(s, payload));
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
}

export function unsubscribeToken(secret: string, contactId: string): string {
  return `${contactId}.${sign(secret, 'unsubscribe:' + contactId)}`;
}

/** The contact id a token names, or undefined when it was not signed by us. */
export function verifyUnsubscribeToken(secret: string, token: string): string | undefined {
  const [contactId, sig] = token.split('.');
  if (!contactId || !sig || !/^[0-9a-f-]{36}$/.test(contactId)) return undefined;
  return signatureValid(secret, 'unsubscribe:' + contactId, sig) ? contactId : undefined;
}
