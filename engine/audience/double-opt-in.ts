// Double opt-in: a form that asks for it leaves a new subscriber not marketable
// (email consent false) until they confirm by a signed link in an email; confirming sets
// consent true, brings back someone who had unsubscribed from all, and records
// `email_confirmed`, which programs may start from ("welcome, once confirmed"). A
// contact who already confirmed (consent true) is not asked again.
import type { Db } from '../storage/db.js';
import { transaction } from '../storage/db.js';
import { getContact, updateContactFields } from '../storage/contacts.js';
import { appendEvent } from '../storage/events.js';
import { resubscribe } from './preferences.js';
import { sign, signatureValid } from '../delivery/signing.js';
import { isUuid } from '../ops/uuid.js';

export const EMAIL_CONFIRMED = 'email_confirmed';

export const confirmToken = (secret: string, contactId: string): string => `${contactId}.${sign(secret, `confirm:${contactId}`)}`;

export function verifyConfirmToken(secret: string, token: string): string | undefined {
  const [contactId, sig] = token.split('.');
  if (!contactId || !sig || !isUuid(contactId)) return undefined;
  return signatureValid(secret, `confirm:${contactId}`, sig) ? contactId : undefined;
}

/**
 * After a submission of a double opt-in form: whether a confirmation is to be sent.
 * Anyone can type anyone's address into a form, so a contact who was here before the
 * submission keeps their consent as it was: only a new contact is held back (email
 * consent false) until confirming, and an existing one is asked only when they are
 * not marketable now (they opted out: confirming brings them back).
 */
export async function requestConfirmation(db: Db, contactId: string, formId: string, existedBefore: boolean): Promise<boolean> {
  return transaction(db, async (tx) => {
    const contact = await getContact(tx, contactId, true);
    if (!contact || contact.consent.email === true) return false;
    if (existedBefore) return contact.consent.email === false || contact.unsubscribed;
    if (contact.consent.email !== false) await updateContactFields(tx, contactId, { consent: { email: false } }, { by: 'double opt-in: waiting for confirmation', formId });
    return true;
  });
}

/** The link's click: consent given. Returns false for a contact that is no more (erased). */
export async function confirmEmail(db: Db, contactId: string): Promise<boolean> {
  return transaction(db, async (tx) => {
    const contact = await getContact(tx, contactId, true);
    if (!contact) return false;
    if (contact.consent.email === true && !contact.unsubscribed) return true; // confirmed before: the link may be clicked twice
    // The contact's own act, as on the preference page: off "unsubscribed from all" too.
    await resubscribe(tx, contactId, 'double-opt-in');
    if ((await getContact(tx, contactId))!.consent.email !== true) await updateContactFields(tx, contactId, { consent: { email: true } }, { by: 'contact', method: 'double-opt-in' });
    await appendEvent(tx, { contactId, type: EMAIL_CONFIRMED, source: 'web', dispatch: true, properties: {} });
    return true;
  });
}
