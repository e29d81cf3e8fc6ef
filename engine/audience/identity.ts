// Who a website visitor is. An anonymous visitor is a contact without email, found by
// the anonymous id in the tracking cookie (`contact_identities`). When the visitor
// identifies (identify call, form submit), the anonymous contact is merged into the
// known one: its history moves over, and its old id keeps pointing at the survivor.
import type pg from 'pg';
import type { Queryable } from '../storage/db.js';
import { appendEvent } from '../storage/events.js';
import { normaliseEmail, resolveContact } from '../storage/contacts.js';
import {
  anonymousContactId, contactIdByEmail, createAnonymousContact, currentVisitor, fillGaps, linkAnonymousId, lockContacts, lockIdentityKey, lockMergeRows,
  mergedInto, moveHistory, namesOf, recordMerge, relinkAnonymousId, verifyAnonymousId,
} from '../storage/identities.js';
import { changeScore } from './scoring.js';

/** The visitor id t.js keeps in its cookie (a UUID, or hex where randomUUID is missing). */
export const ANONYMOUS_ID_PATTERN = '^[A-Za-z0-9_-]{8,64}$';
export const CONTACTS_MERGED = 'tend.contacts_merged';

/** The contact a merged contact ended up in (itself when not merged). */
async function survivorOf(tx: pg.PoolClient, id: string): Promise<string> {
  for (let hops = 0; hops < 20; hops++) {
    const next = await mergedInto(tx, id);
    if (!next) return id;
    id = next;
  }
  throw new Error(`contact merge chain from ${id} is too long`);
}

/** The contact of an anonymous visitor id (created without email on the first hit unless `create` is false), before any lock. */
async function visitorOf(tx: pg.PoolClient, anonymousId: string, create = true): Promise<string | undefined> {
  let contactId = await anonymousContactId(tx, anonymousId);
  if (!contactId && !create) return undefined;
  contactId ??= await createAnonymousContact(tx, anonymousId);
  return survivorOf(tx, contactId);
}

/**
 * The contact of an anonymous visitor id, created (without email) on the first hit,
 * or the contact it was merged into. Returns with that contact locked for the rest of
 * the transaction, so a merge cannot move its history from under the caller.
 */
export async function visitorContact(tx: pg.PoolClient, anonymousId: string): Promise<string> {
  for (;;) {
    const id = (await visitorOf(tx, anonymousId))!;
    await lockContacts(tx, [id]);
    // Merged while we waited for the lock: follow it.
    if ((await visitorOf(tx, anonymousId)) === id) return id;
  }
}

export interface MergeResult {
  survivorId: string;
  mergedId: string;
  eventsMoved: number;
}

/**
 * Merges contact `mergedId` into `survivorId` inside the caller's transaction: events
 * (occurred_at untouched, so the timeline keeps its order), identities, score and its
 * awards, messages and enrollments move; attributes the survivor lacks are copied;
 * the merge is a `contact_merges` row and a `tend.contacts_merged` event on the
 * survivor; the merged contact keeps its row with `merged_into` set.
 *
 *   await mergeContacts(tx, anonymousId, knownId, 'identify')
 */
export async function mergeContacts(tx: pg.PoolClient, mergedId: string, survivorId: string, reason: string): Promise<MergeResult | undefined> {
  await lockContacts(tx, [mergedId, survivorId]);
  mergedId = await survivorOf(tx, mergedId);
  survivorId = await survivorOf(tx, survivorId);
  if (mergedId === survivorId) return undefined;
  const loser = await lockMergeRows(tx, mergedId, survivorId);
  const { eventsMoved, identities } = await moveHistory(tx, mergedId, survivorId);
  await fillGaps(tx, survivorId, loser.attributes, loser.tags);
  // The visitor's points come along as a score change with its reason, so the score
  // history explains the jump and threshold triggers see it.
  if (loser.score !== 0) await changeScore(tx, survivorId, loser.score, 'merged', { mergedContactId: mergedId });
  await recordMerge(tx, mergedId, survivorId, reason, eventsMoved);
  await appendEvent(tx, {
    contactId: survivorId,
    type: CONTACTS_MERGED,
    source: 'tend',
    dispatch: true,
    properties: { mergedContactId: mergedId, reason, eventsMoved, identities, scoreMoved: loser.score },
  });
  return { survivorId, mergedId, eventsMoved };
}

export interface Identification {
  /** Who the visitor says they are (identify, a form)… */
  email?: string;
  /** …or who a signed link says they are (a click from an email). */
  contactId?: string;
  anonymousId?: string;
  reason: string;
}

/**
 * A visitor is identified: finds (or, by email, creates) the known contact and merges
 * the visitor's anonymous contact into it. An anonymous id whose contact is already
 * known under another email (a shared computer) is moved to the new contact without
 * history: two known people are never merged from a browser's say-so.
 */
/** `existed`: a contact had the email (or the id) before this call. */
export async function identify(tx: pg.PoolClient, who: Identification): Promise<{ contactId: string; existed: boolean; merge?: MergeResult }> {
  const email = who.email ? normaliseEmail(who.email) : undefined;
  // Two identifies of one new email or one browser would each insert what the other
  // waits for (the email's contact, the browser's identity) and deadlock: they take
  // turns instead, on locks of their own key space (class 7), before any contact lock.
  for (const key of [email && `email:${email}`, who.anonymousId && `visitor:${who.anonymousId}`].filter((k): k is string => Boolean(k)).sort()) {
    await lockIdentityKey(tx, key);
  }
  const knownId = async () => (email ? await contactIdByEmail(tx, email) : await survivorOf(tx, who.contactId!));
  // Locks first (advisory, in id order), row locks after: the order every writer keeps.
  for (;;) {
    const known = await knownId();
    const visitor = who.anonymousId ? await visitorOf(tx, who.anonymousId, false) : undefined;
    await lockContacts(tx, [known, visitor].filter((x): x is string => Boolean(x)));
    if ((await knownId()) !== known || (who.anonymousId && (await visitorOf(tx, who.anonymousId, false)) !== visitor)) continue;
    const contactId = email ? (await resolveContact(tx, { email })).contact.id : known!;
    const existed = Boolean(known);
    // A signed link proves the browser is this contact's; an email typed into a page does not.
    const signed = Boolean(who.contactId);
    const verify = async () => {
      if (signed && who.anonymousId) await verifyAnonymousId(tx, who.anonymousId);
    };
    if (who.anonymousId && !visitor) {
      // A browser never seen before has no history to merge: it simply names this contact.
      if (await linkAnonymousId(tx, who.anonymousId, contactId, signed)) return { contactId, existed };
      continue; // its first hit was being stored meanwhile: merge that
    }
    if (!visitor || visitor === contactId) {
      await verify();
      return { contactId, existed };
    }
    const names = (await namesOf(tx, visitor))!;
    if (names.email || names.external_id) {
      // Another person's browser: whatever it proved before, it proved for them.
      await relinkAnonymousId(tx, who.anonymousId!, contactId, signed);
      return { contactId, existed };
    }
    const merge = await mergeContacts(tx, visitor, contactId, who.reason);
    await verify();
    return { contactId, existed, merge };
  }
}

/** The contact an anonymous id names today (following merges), without creating one: for reads such as prefilling a form. */
export async function knownVisitor(db: Queryable, anonymousId: string): Promise<string | undefined> {
  return currentVisitor(db, anonymousId);
}
