// What operations read of the database: the readiness probe's round trip, and the
// figures every process's metrics share (indexes: 110_erasure.sql; the outbox's age by
// its id, 130_lean_ingest.sql).
import type { Queryable } from './db.js';

/** One round trip: throws when the database does not answer. */
export async function ping(db: Queryable): Promise<void> {
  await db.query('SELECT 1');
}

export interface DatabaseFigures {
  /** The outbox id sequence: every event stored for dispatch takes one id, a counter that costs nothing to read. */
  outboxSequence: { last_value: string; is_called: boolean } | undefined;
  enrollmentsByStatus: { status: string; n: string }[];
  messagesByChannelStatus: { channel: string; status: string; n: string }[];
  failedVisits: { n: string } | undefined;
  /** Rows in the outbox, and the oldest one's age in seconds (null when empty). */
  outbox: { n: string; age: number | null } | undefined;
}

/** The statements run side by side (on a pool, each on its own connection). */
export async function databaseFigures(db: Queryable): Promise<DatabaseFigures> {
  const [events, enrollments, messages, failed, outbox] = await Promise.all([
    db.query<{ last_value: string; is_called: boolean }>('SELECT last_value, is_called FROM outbox_id_seq'),
    db.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM enrollments GROUP BY status'),
    db.query<{ channel: string; status: string; n: string }>('SELECT channel, status, count(*) AS n FROM messages GROUP BY channel, status'),
    db.query<{ n: string }>("SELECT count(*) AS n FROM node_visits WHERE status = 'failed'"),
    db.query<{ n: string; age: number | null }>('SELECT count(*) AS n, (SELECT extract(epoch FROM now() - created_at)::float8 FROM outbox ORDER BY id LIMIT 1) AS age FROM outbox'),
  ]);
  return { outboxSequence: events.rows[0], enrollmentsByStatus: enrollments.rows, messagesByChannelStatus: messages.rows, failedVisits: failed.rows[0], outbox: outbox.rows[0] };
}
