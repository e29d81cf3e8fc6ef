// Storing incoming events: every event of a request in one transaction with its outbox
// row, so an accepted event is durable and will be dispatched. Built for batches: the
// contacts a batch names are found (or created) with one query per kind of identity,
// and the events and outbox rows go in with one statement each, instead of several
// round trips per event.
import crypto from 'node:crypto';
import type pg from 'pg';
import type { Db } from '../storage/db.js';
import { transaction } from '../storage/db.js';
import { EngineProblem } from '../ops/errors.js';
import { normaliseEmail, resolveContact, updateContactFields, type ContactFields } from '../storage/contacts.js';
import { contactsByIdentity, eventByClientId, eventsByClientIds, insertEventsWithOutbox, type IdentityKind as Kind } from '../storage/ingest.js';

/**
 * An RFC 3339 time as PostgreSQL surely reads it: RFC 3339 allows offsets up to ±23:59,
 * PostgreSQL only up to ±15:59, so "…+23:53" would fail the insert. JavaScript reads
 * both; what it cannot read (a leap second) goes as it came, which PostgreSQL takes.
 */
function inUtc(at: string | undefined): string | null {
  if (!at) return null;
  const t = new Date(at);
  return Number.isNaN(t.getTime()) ? at : t.toISOString();
}

export interface IncomingEvent {
  type: string;
  contactId?: string;
  externalId?: string;
  email?: string;
  properties?: Record<string, unknown>;
  clientId?: string;
  occurredAt?: string;
  contact?: ContactFields;
}

export interface Accepted {
  id: string;
  contactId: string;
  duplicate: boolean;
}

/** The one identity of an event that names its contact simply, or undefined for the careful path. */
function simpleIdentity(e: IncomingEvent): { kind: Kind; value: string } | undefined {
  if (e.contact) return undefined;
  const named = [e.contactId && 'contactId', e.externalId && 'externalId', e.email && 'email'].filter(Boolean) as Kind[];
  if (named.length !== 1) return undefined;
  const kind = named[0]!;
  return { kind, value: kind === 'email' ? normaliseEmail(e.email!) : (e[kind] as string) };
}

export async function ingest(db: Db, inputs: IncomingEvent[], pathOf: (i: number) => string): Promise<Accepted[]> {
  return transaction(db, (tx) => ingestIn(tx, inputs, pathOf));
}

/**
 * `ingest` inside the caller's transaction, for callers that store more with the
 * events (the tracking endpoint resolves the visitor under a lock first). `source`
 * tells the timeline where the events came from ('api', 'web').
 */
export async function ingestIn(tx: pg.PoolClient, inputs: IncomingEvent[], pathOf: (i: number) => string, source = 'api'): Promise<Accepted[]> {
  const out: (Accepted | undefined)[] = new Array(inputs.length);

  // A client id already stored, or met earlier in this batch, makes the event a duplicate.
  const clientIds = [...new Set(inputs.map((e) => e.clientId).filter((c): c is string => Boolean(c)))];
  const stored = new Map<string, { id: string; contactId: string }>();
  if (clientIds.length) {
    for (const r of await eventsByClientIds(tx, clientIds)) stored.set(r.client_id, { id: r.id, contactId: r.contact_id });
  }
  const firstOfClientId = new Map<string, number>();
  const fresh: number[] = [];
  inputs.forEach((e, i) => {
    if (e.clientId) {
      const before = stored.get(e.clientId);
      if (before) return void (out[i] = { ...before, duplicate: true });
      if (firstOfClientId.has(e.clientId)) return;
      firstOfClientId.set(e.clientId, i);
    }
    fresh.push(i);
  });

  // Contacts: the simple identities in bulk, the rest (several identities, contact
  // fields to update) one by one with the full rules of resolveContact.
  const contactOf = new Map<number, string>();
  const byKind: Record<Kind, Set<string>> = { contactId: new Set(), externalId: new Set(), email: new Set() };
  for (const i of fresh) {
    const simple = simpleIdentity(inputs[i]!);
    if (simple) byKind[simple.kind].add(simple.value);
  }
  const resolved = {
    contactId: await contactsByIdentity(tx, 'contactId', [...byKind.contactId]),
    externalId: await contactsByIdentity(tx, 'externalId', [...byKind.externalId]),
    email: await contactsByIdentity(tx, 'email', [...byKind.email]),
  };
  for (const i of fresh) {
    const e = inputs[i]!;
    const simple = simpleIdentity(e);
    if (simple) {
      const id = resolved[simple.kind].get(simple.value);
      if (!id) throw new EngineProblem('not-found', 'Unknown contact', [{ path: `${pathOf(i)}/contactId`, message: `no contact has id ${simple.value}` }]);
      contactOf.set(i, id);
      continue;
    }
    const { contact } = await resolveContact(tx, { contactId: e.contactId, externalId: e.externalId, email: e.email }, pathOf(i));
    if (e.contact) await updateContactFields(tx, contact.id, e.contact);
    contactOf.set(i, contact.id);
  }

  if (fresh.length) {
    const ids = fresh.map(() => crypto.randomUUID());
    // One statement: the events, their outbox rows and the dispatcher's wake-up.
    const stored = await insertEventsWithOutbox(tx, {
      ids,
      contactIds: fresh.map((i) => contactOf.get(i)),
      types: fresh.map((i) => inputs[i]!.type),
      properties: fresh.map((i) => JSON.stringify(inputs[i]!.properties ?? {})),
      clientIds: fresh.map((i) => inputs[i]!.clientId ?? null),
      occurredAt: fresh.map((i) => inUtc(inputs[i]!.occurredAt)),
      source,
      withClientIds: clientIds.length > 0,
    });
    for (const [k, i] of fresh.entries()) {
      if (stored.has(ids[k]!)) {
        out[i] = { id: ids[k]!, contactId: contactOf.get(i)!, duplicate: false };
        continue;
      }
      // A concurrent request stored this client id first.
      const first = (await eventByClientId(tx, inputs[i]!.clientId))!;
      out[i] = { id: first.id, contactId: first.contact_id, duplicate: true };
    }
  }
  // Repeats of a client id within this batch point at its first event.
  inputs.forEach((e, i) => {
    if (!out[i] && e.clientId) out[i] = { ...out[firstOfClientId.get(e.clientId)!]!, duplicate: true };
  });
  return out as Accepted[];
}
