// Signed links (unsubscribe) so nobody can act for another contact. The secret is
// made on first start and kept in the settings table.
import crypto from 'node:crypto';
import type { Queryable } from './storage/db.js';

export async function setting(db: Queryable, key: string, make: () => string): Promise<string> {
  await db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING', [key, make()]);
  return (await db.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key])).rows[0].value;
}

export function signingSecret(db: Queryable): Promise<string> {
  return setting(db, 'signing_secret', () => crypto.randomBytes(32).toString('hex'));
}

export function sign(secret: string, payload: string): string {
  return crypto.createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 32);
}

export function unsubscribeToken(secret: string, contactId: string): string {
  return `${contactId}.${sign(secret, 'unsubscribe:' + contactId)}`;
}

/** The contact id a token names, or undefined when it was not signed by us. */
export function verifyUnsubscribeToken(secret: string, token: string): string | undefined {
  const [contactId, sig] = token.split('.');
  if (!contactId || !sig || !/^[0-9a-f-]{36}$/.test(contactId)) return undefined;
  const expected = sign(secret, 'unsubscribe:' + contactId);
  const a = Buffer.from(sig), b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b) ? contactId : undefined;
}
