// What changed on a contact, as one dispatched `tend.contact_changed` event, written by
// the two functions that change contacts (API upserts and event patches, and program
// nodes) in their own transaction: the field-changed trigger and the timeline see every
// change, whoever made it.
import type pg from 'pg';
import type { Contact } from '../plugin/index.js';
import type { Queryable } from './db.js';
import { appendEvent } from './events.js';
import { reschedule, schedulesReading } from './date-schedules.js';
import { planZone } from './calendars.js';

export const CONTACT_CHANGED = 'tend.contact_changed';

type Change = { from: unknown; to: unknown };
export interface ContactChanges {
  email?: Change;
  phone?: Change;
  timezone?: Change;
  tags?: Change;
  /** Unsubscribed from all marketing email (unsubscribe link, one-click, preference page). */
  unsubscribed?: Change;
  attributes?: Record<string, Change>;
  consent?: Record<string, Change>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function diffRecord(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, Change> | undefined {
  const out: Record<string, Change> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!same(before[key], after[key])) out[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  return Object.keys(out).length ? out : undefined;
}

export function diffContacts(before: Contact, after: Contact): ContactChanges | undefined {
  const changes: ContactChanges = {};
  for (const field of ['email', 'phone', 'timezone'] as const) {
    if (!same(before[field], after[field])) changes[field] = { from: before[field], to: after[field] };
  }
  if (!same([...before.tags].sort(), [...after.tags].sort())) changes.tags = { from: before.tags, to: after.tags };
  if (before.unsubscribed !== after.unsubscribed) changes.unsubscribed = { from: before.unsubscribed, to: after.unsubscribed };
  const attributes = diffRecord(before.attributes, after.attributes);
  if (attributes) changes.attributes = attributes;
  const consent = diffRecord(before.consent, after.consent);
  if (consent) changes.consent = consent;
  return Object.keys(changes).length ? changes : undefined;
}

export async function recordContactChanges(tx: Queryable | pg.PoolClient, before: Contact, after: Contact, context: Record<string, unknown> = {}): Promise<void> {
  const changes = diffContacts(before, after);
  if (!changes) return;
  // Date-property triggers reading a changed attribute get the contact's new due time.
  for (const schedule of await schedulesReading(tx, Object.keys(changes.attributes ?? {}).map((name) => `attributes.${name}`))) {
    await reschedule(tx, schedule, after);
  }
  // Schedule triggers come round in the contact's zone: make sure they do in a new one.
  if (changes.timezone) await planZone(tx, after.timezone);
  await appendEvent(tx, { contactId: after.id, type: CONTACT_CHANGED, source: 'tend', dispatch: true, properties: { changes, ...context } });
}
