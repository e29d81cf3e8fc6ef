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

type Kind = 'contactId' | 'externalId' | 'email';

/** The one identity of an event that names its contact simply, or undefined for the careful path. */
function simpleIdentity(e: IncomingEvent): { kind: Kind; value: string } | undefined {
  if (e.contact) return undefined;
  const named = [e.contactId && 'contactId', e.externalId && 'externalId', e.email && 'email'].filter(Boolean) as Kind[];
  if (named.length !== 1) return undefined;
  const kind = named[0]!;
  return { kind, value: kind === 'email' ? normaliseEmail(e.email!) : (e[kind] as string) };
}

const COLUMN: Record<Kind, string> = { contactId: 'id', externalId: 'external_id', email: 'email' };

/** Ids of the contacts with these values of one identity, creating the missing ones (not for contactId). */
async function contactsByIdentity(tx: pg.PoolClient, kind: Kind, values: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (values.length === 0) return found;
  const column = COLUMN[kind];
  const select = async (wanted: string[]) => {
    // KEY SHARE: the contact cannot be deleted (merged away) before this transaction commits.
    const { rows } = await tx.query<{ id: string; key: string }>(
      `SELECT id, ${column}::text AS key FROM contacts WHERE ${column} = ANY($1::${kind === 'contactId' ? 'uuid' : 'text'}[]) FOR KEY SHARE`,
      [wanted],
    );
    for (const r of rows) found.set(r.key, r.id);
  };
  await select(values);
  if (kind === 'contactId') return found;
  const missing = values.filter((v) => !found.has(v));
  if (missing.length) {
    // In sorted order: two batches creating the same new contacts lock their index
    // entries in one order, so one waits for the other instead of deadlocking.
    const { rows } = await tx.query<{ id: string; key: string }>(
      `INSERT INTO contacts (${column}) SELECT v FROM unnest($1::text[]) AS v ORDER BY v ON CONFLICT DO NOTHING RETURNING id, ${column} AS key`,
      [missing],
    );
    for (const r of rows) found.set(r.key, r.id);
    // Created meanwhile by a concurrent request: read the winner's row.
    const raced = missing.filter((v) => !found.has(v));
    if (raced.length) await select(raced);
  }
  return found;
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
    const { rows } = await tx.query<{ client_id: string; id: string; contact_id: string }>('SELECT client_id, id, contact_id FROM events WHERE client_id = ANY($1)', [clientIds]);
    for (const r of rows) stored.set(r.client_id, { id: r.id, contactId: r.contact_id });
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
    // One statement (one round trip): the events, their outbox rows in the order of the
    // request (the order of dispatch) and the dispatcher's wake-up. Data-modifying CTEs
    // always run; the notify runs because the result reads it.
    const inserted = await tx.query<{ id: string }>(
      // received_at is now() plus the event's place in the batch in microseconds: events
      // sent together (one beacon's page views) keep the order they were sent in on the
      // timeline, where occurred_at ties.
      `WITH stored AS (
         INSERT INTO events (id, contact_id, type, properties, client_id, occurred_at, received_at, source)
         SELECT id, contact_id, type, properties, client_id, COALESCE(occurred_at, now()), now() + make_interval(secs => n / 1e6), $7
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[], $5::text[], $6::timestamptz[]) WITH ORDINALITY AS t(id, contact_id, type, properties, client_id, occurred_at, n)
         ${clientIds.length
           // One lock order for concurrent batches sharing client ids (no deadlock); dispatch order is the outbox's.
           // Without client ids nothing can conflict, and a plain insert costs less per row.
           ? 'ORDER BY client_id ON CONFLICT (client_id) WHERE client_id IS NOT NULL DO NOTHING'
           : ''}
         RETURNING id
       ),
       queued AS (
         INSERT INTO outbox (event_id, contact_id)
         SELECT t.id, t.contact_id FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS t(id, contact_id, n)
         WHERE t.id IN (SELECT id FROM stored) ORDER BY n
         RETURNING 1
       )
       SELECT id, (SELECT count(pg_notify('tend_outbox', '')) FROM (SELECT 1 FROM queued LIMIT 1) q)::int AS notified FROM stored`,
      [
        ids,
        fresh.map((i) => contactOf.get(i)),
        fresh.map((i) => inputs[i]!.type),
        fresh.map((i) => JSON.stringify(inputs[i]!.properties ?? {})),
        fresh.map((i) => inputs[i]!.clientId ?? null),
        fresh.map((i) => inUtc(inputs[i]!.occurredAt)),
        source,
      ],
    );
    const stored = new Set(inserted.rows.map((r) => r.id));
    for (const [k, i] of fresh.entries()) {
      if (stored.has(ids[k]!)) {
        out[i] = { id: ids[k]!, contactId: contactOf.get(i)!, duplicate: false };
        continue;
      }
      // A concurrent request stored this client id first.
      const { rows } = await tx.query<{ id: string; contact_id: string }>('SELECT id, contact_id FROM events WHERE client_id = $1', [inputs[i]!.clientId]);
      out[i] = { id: rows[0]!.id, contactId: rows[0]!.contact_id, duplicate: true };
    }
  }
  // Repeats of a client id within this batch point at its first event.
  inputs.forEach((e, i) => {
    if (!out[i] && e.clientId) out[i] = { ...out[firstOfClientId.get(e.clientId)!]!, duplicate: true };
  });
  return out as Accepted[];
}
