// The bulk statements of event ingest: a batch's contacts found (or created) by one
// kind of identity at once, and its events stored with their outbox rows and the
// dispatcher's wake-up in one statement.
import type pg from 'pg';

export type IdentityKind = 'contactId' | 'externalId' | 'email';

const COLUMN: Record<IdentityKind, string> = { contactId: 'id', externalId: 'external_id', email: 'email' };

/** Ids of the contacts with these values of one identity, creating the missing ones (not for contactId). */
export async function contactsByIdentity(tx: pg.PoolClient, kind: IdentityKind, values: string[]): Promise<Map<string, string>> {
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

/** The events already stored under these client ids. */
export async function eventsByClientIds(tx: pg.PoolClient, clientIds: string[]): Promise<{ client_id: string; id: string; contact_id: string }[]> {
  const { rows } = await tx.query<{ client_id: string; id: string; contact_id: string }>('SELECT client_id, id, contact_id FROM events WHERE client_id = ANY($1)', [clientIds]);
  return rows;
}

/** The event stored under this client id (by a concurrent request). */
export async function eventByClientId(tx: pg.PoolClient, clientId: string | undefined): Promise<{ id: string; contact_id: string } | undefined> {
  const { rows } = await tx.query<{ id: string; contact_id: string }>('SELECT id, contact_id FROM events WHERE client_id = $1', [clientId]);
  return rows[0];
}

/** A batch's events, one array per column, in the order of the request (the order of dispatch). */
export interface EventBatch {
  ids: string[];
  contactIds: (string | undefined)[];
  types: string[];
  /** JSON text. */
  properties: string[];
  clientIds: (string | null)[];
  occurredAt: (string | null)[];
  source: string;
  /** Some event has a client id: the insert then skips those stored already. */
  withClientIds: boolean;
}

/**
 * One statement (one round trip): the events, their outbox rows in the order of the
 * request and the dispatcher's wake-up. Data-modifying CTEs always run; the notify
 * runs because the result reads it. Returns the ids stored (not those whose client id
 * a concurrent request stored first).
 */
export async function insertEventsWithOutbox(tx: pg.PoolClient, b: EventBatch): Promise<Set<string>> {
  const inserted = await tx.query<{ id: string }>(
    // received_at is now() plus the event's place in the batch in microseconds: events
    // sent together (one beacon's page views) keep the order they were sent in on the
    // timeline, where occurred_at ties.
    `WITH stored AS (
       INSERT INTO events (id, contact_id, type, properties, client_id, occurred_at, received_at, source)
       SELECT id, contact_id, type, properties, client_id, COALESCE(occurred_at, now()), now() + make_interval(secs => n / 1e6), $7
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[], $5::text[], $6::timestamptz[]) WITH ORDINALITY AS t(id, contact_id, type, properties, client_id, occurred_at, n)
       ${b.withClientIds
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
    [b.ids, b.contactIds, b.types, b.properties, b.clientIds, b.occurredAt, b.source],
  );
  return new Set(inserted.rows.map((r) => r.id));
}
