// What a browser may write about a contact. The public endpoints (/t/collect with the
// site key from every page's source, hosted and embedded forms) are reachable by anyone
// who can type a customer's email address, so what they say is a claim, not a fact:
// it may create a contact and fill fields that are empty, never change a field that
// holds a value, and never touch the fields Tend's own rules and programs own. A
// browser that proved who it is (it arrived through a signed link from the contact's
// own email) may also correct the contact's other fields. engine/SECURITY.md, "What a
// browser may write", is the rule in words.
import type pg from 'pg';
import { isVerifiedFor } from '../storage/identities.js';
import { contactAttributes } from '../storage/contacts.js';

/**
 * Attributes no browser writes, even where empty: the lifecycle stage, the owner whose
 * address notify-owner mails, and what RFM computes. (A program or the API sets them.)
 */
const PROTECTED = new Set(['stage', 'owner']);
const PROTECTED_PREFIXES = ['rfm_'];

export const isProtectedAttribute = (name: string): boolean => PROTECTED.has(name) || PROTECTED_PREFIXES.some((p) => name.startsWith(p));

const isEmpty = (v: unknown) => v === undefined || v === null || v === '';

export interface BrowserWrite {
  /** What may be written. */
  allowed: Record<string, unknown>;
  /** What was dropped, and why (named on the contact-changed event when something else changed). */
  refused: Record<string, 'protected' | 'already set'>;
}

/**
 * Splits what a browser said into what it may write and what it may not.
 *
 *   browserWrite({ first_name: 'Ada', owner: 'x' }, { first_name: 'Grace' }, false)
 *   // { allowed: {}, refused: { first_name: 'already set', owner: 'protected' } }
 */
export function browserWrite(given: Record<string, unknown>, current: Record<string, unknown>, verified: boolean): BrowserWrite {
  const allowed: Record<string, unknown> = {};
  const refused: BrowserWrite['refused'] = {};
  for (const [name, value] of Object.entries(given)) {
    if (isProtectedAttribute(name)) refused[name] = 'protected';
    else if (!verified && !isEmpty(current[name]) && JSON.stringify(current[name]) !== JSON.stringify(value)) refused[name] = 'already set';
    else allowed[name] = value;
  }
  return { allowed, refused };
}

/** Whether this browser (its anonymous id) proved by a signed link that it belongs to `contactId`. */
export async function isVerifiedVisitor(tx: pg.PoolClient, anonymousId: string | undefined, contactId: string): Promise<boolean> {
  if (!anonymousId) return false;
  return isVerifiedFor(tx, anonymousId, contactId);
}

/** The contact's attributes, read inside the caller's transaction (the contact is locked by identify). */
export async function currentAttributes(tx: pg.PoolClient, contactId: string): Promise<Record<string, unknown>> {
  return (await contactAttributes(tx, contactId)) ?? {};
}
