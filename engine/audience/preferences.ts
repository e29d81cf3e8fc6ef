// What a contact changes about their own email on the hosted preference page (and
// through one-click unsubscribe): all marketing off or back on, single topics off or
// on. Each change runs in the caller's transaction and is recorded through the
// contact-change path, so it is a dispatched `tend.contact_changed` on the timeline
// that field-changed triggers and waits see, like a change made by the API.
import type pg from 'pg';
import type { Contact } from '../plugin/index.js';
import { getContact, toContact, type ContactRow } from '../storage/contacts.js';
import { recordContactChanges } from '../storage/contact-changes.js';
import { appendEvent } from '../storage/events.js';
import { markResubscribed, markUnsubscribed, setTopicConsent } from '../storage/consent.js';

export type ChangeMethod = 'one-click' | 'link' | 'preference-page' | 'double-opt-in';

async function changed(tx: pg.PoolClient, before: Contact, row: ContactRow | undefined, method: ChangeMethod): Promise<boolean> {
  if (!row) return false;
  const after = toContact(row);
  await recordContactChanges(tx, before, after, { by: 'contact', method });
  return JSON.stringify(before) !== JSON.stringify(after);
}

/** Stops all marketing email; true when the contact was subscribed until now. */
export async function unsubscribeAll(tx: pg.PoolClient, contactId: string, method: ChangeMethod): Promise<boolean> {
  const before = await getContact(tx, contactId, true);
  if (!before) return false;
  const row = await markUnsubscribed(tx, contactId);
  if (!row) return false;
  // Kept beside the contact change: the opt-out record reports and exports look for.
  await appendEvent(tx, { contactId, type: 'tend.unsubscribed', source: 'tend', properties: { channel: 'email', method } });
  return changed(tx, before, row, method);
}

/**
 * Marketing email again. The contact asks for it themselves, so an email consent of
 * `false` (from an earlier opt-out) becomes `true`; do-not-contact, an operator's
 * decision, stays as it is.
 */
export async function resubscribe(tx: pg.PoolClient, contactId: string, method: ChangeMethod = 'preference-page'): Promise<boolean> {
  const before = await getContact(tx, contactId, true);
  if (!before) return false;
  return changed(tx, before, await markResubscribed(tx, contactId), method);
}

/** Sets the given topics on (true) or off (false), leaving other topics as they are. */
export async function setTopicChoices(tx: pg.PoolClient, contactId: string, choices: Record<string, boolean>): Promise<boolean> {
  const before = await getContact(tx, contactId, true);
  if (!before) return false;
  return changed(tx, before, await setTopicConsent(tx, contactId, choices), 'preference-page');
}
