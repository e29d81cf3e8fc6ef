// The event log (append-only; it is the contact timeline) and the outbox row that
// makes dispatch to programs survive a crash between storing and dispatching.
import type pg from 'pg';
import type { Queryable } from './db.js';
import type { TendEvent } from '../plugin.js';

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
  const { rows } = await tx.query<EventRow>(
    `INSERT INTO events (contact_id, type, properties, client_id, occurred_at, source)
     VALUES ($1, $2, $3, $4, COALESCE($5::timestamptz, now()), $6)
     ON CONFLICT (client_id) WHERE client_id IS NOT NULL DO NOTHING RETURNING *`,
    [e.contactId, e.type, JSON.stringify(e.properties ?? {}), e.clientId ?? null, e.occurredAt ?? null, e.source ?? 'api'],
  );
  const row = rows[0];
  if (row && (e.dispatch ?? (e.source ?? 'api') !== 'tend')) {
    await tx.query('INSERT INTO outbox (event_id, contact_id) VALUES ($1, $2)', [row.id, row.contact_id]);
    await tx.query("SELECT pg_notify('tend_outbox', '')");
  }
  return row;
}

export async function getEvent(db: Queryable, id: string): Promise<TendEvent | undefined> {
  const row = (await db.query<EventRow>('SELECT * FROM events WHERE id = $1', [id])).rows[0];
  return row ? toEvent(row) : undefined;
}
