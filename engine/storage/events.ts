// The event log (append-only; it is the contact timeline) and the outbox row that
// makes dispatch to programs survive a crash between storing and dispatching.
import type pg from 'pg';
import type { Queryable } from './db.js';
import type { TendEvent } from '../plugin/index.js';

export interface EventRow {
  id: string;
  contact_id: string;
  type: string;
  properties: Record<string, unknown>;
  client_id: string | null;
  source: string;
  occurred_at: Date;
  received_at: Date;
}

export function toEvent(row: EventRow): TendEvent {
  return { id: row.id, type: row.type, properties: row.properties, occurredAt: row.occurred_at.toISOString() };
}

export interface NewEvent {
  contactId: string;
  type: string;
  properties?: Record<string, unknown>;
  clientId?: string;
  occurredAt?: string;
  /** Who wrote it: 'api' for the outside world, 'web' for websites (tracking, forms), 'tend' for Tend itself (score changes, opt-outs). */
  source?: 'api' | 'web' | 'tend';
  /** Whether programs see it (triggers, waits). Default: events from outside (api, web) only. */
  dispatch?: boolean;
}

export async function findByClientId(db: Queryable, clientId: string): Promise<EventRow | undefined> {
  return (await db.query<EventRow>('SELECT * FROM events WHERE client_id = $1', [clientId])).rows[0];
}

/** Stores an event (and its outbox row when it is to be dispatched). Returns undefined when the client id was seen before. */
export async function appendEvent(tx: pg.PoolClient | Queryable, e: NewEvent): Promise<EventRow | undefined> {
  // One statement: the event, its outbox row and the dispatcher's wake-up (data-modifying
  // CTEs always run; the notify runs because the result reads it).
  const dispatch = e.dispatch ?? (e.source ?? 'api') !== 'tend';
  const { rows } = await tx.query<EventRow & { notified?: number }>(
    `WITH e AS (
       INSERT INTO events (contact_id, type, properties, client_id, occurred_at, source)
       VALUES ($1, $2, $3, $4, COALESCE($5::timestamptz, now()), $6)
       ON CONFLICT (client_id) WHERE client_id IS NOT NULL DO NOTHING RETURNING *
     ),
     queued AS (INSERT INTO outbox (event_id, contact_id) SELECT id, contact_id FROM e WHERE $7::boolean RETURNING 1)
     SELECT e.*, (SELECT count(pg_notify('tend_outbox', '')) FROM queued)::int AS notified FROM e`,
    [e.contactId, e.type, JSON.stringify(e.properties ?? {}), e.clientId ?? null, e.occurredAt ?? null, e.source ?? 'api', dispatch],
  );
  const row = rows[0];
  if (!row) return undefined;
  const { notified: _notified, ...event } = row;
  return event;
}

/** Several events by id in one query (those that exist). */
export async function getEvents(db: Queryable, ids: string[]): Promise<TendEvent[]> {
  const { rows } = await db.query<EventRow>('SELECT * FROM events WHERE id = ANY($1)', [ids]);
  return rows.map(toEvent);
}

export async function getEvent(db: Queryable, id: string): Promise<TendEvent | undefined> {
  const row = (await db.query<EventRow>('SELECT * FROM events WHERE id = $1', [id])).rows[0];
  return row ? toEvent(row) : undefined;
}

/**
 * The contact's events of `type` within `withinMs` before event `eventId`, up to it in
 * (occurred_at, id) order (itself included). Times are compared in SQL: JS dates lose
 * the microseconds PostgreSQL keeps.
 */
export async function eventsUpTo(db: Queryable, contactId: string, type: string, eventId: string, withinMs: number): Promise<EventRow[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT e.* FROM events e, events me WHERE me.id = $3 AND e.contact_id = $1 AND e.type = $2
       AND e.occurred_at > me.occurred_at - make_interval(secs => $4::double precision / 1000)
       AND (e.occurred_at, e.id) <= (me.occurred_at, me.id)`,
    [contactId, type, eventId, withinMs],
  );
  return rows;
}
