// Analytics of one step of a program (issue #13 point 9): what the editor shows when a
// node of a published program is selected. Per day (UTC) over the last `days` days:
// runs that entered the node, runs that ended there, and for a message node the
// messages sent, first opened, first clicked, and the contacts who unsubscribed after
// it. An unsubscribe is credited to the last email the contact was sent before it
// (from any program), so it is counted once, at the node whose email came last.
import type { Queryable } from './db.js';

export interface NodeDay {
  day: string;
  entered: number;
  exited: number;
  sent: number;
  opened: number;
  clicked: number;
  unsubscribed: number;
}

/**
 * The emails of a program that were a contact's last email before they unsubscribed, as
 * (node_id, occurred_at of the unsubscribe) rows; shared by the totals and the series.
 * It starts from the program's sent emails (as the stats' messages query does), so it
 * costs what the program sent, not every unsubscribe the install has.
 */
const UNSUBSCRIBES = `
  SELECT m.node_id, u.occurred_at
  FROM messages m
  JOIN LATERAL (
    SELECT e.occurred_at FROM events e
    WHERE e.contact_id = m.contact_id AND e.type = 'tend.unsubscribed' AND e.occurred_at >= m.sent_at
    ORDER BY e.occurred_at LIMIT 1
  ) u ON true
  WHERE m.program_id = $1 AND m.channel = 'email' AND m.status = 'sent'
    AND NOT EXISTS (
      SELECT 1 FROM messages n
      WHERE n.contact_id = m.contact_id AND n.channel = 'email' AND n.status = 'sent' AND n.sent_at > m.sent_at AND n.sent_at <= u.occurred_at
    )`;

/** Per node of a program: runs that ended there, and unsubscribes after its email. */
export async function nodeEndings(db: Queryable, programId: string, version?: number): Promise<{ exited: Map<string, number>; unsubscribed: Map<string, number> }> {
  const params: unknown[] = [programId];
  if (version) params.push(version);
  const ended = await db.query<{ node: string; n: number }>(
    `SELECT current_node AS node, count(*)::int AS n FROM enrollments
     WHERE program_id = $1 AND status <> 'active' AND current_node IS NOT NULL${version ? ' AND version = $2' : ''} GROUP BY 1`,
    params,
  );
  const unsub = await db.query<{ node: string; n: number }>(`SELECT node_id AS node, count(*)::int AS n FROM (${UNSUBSCRIBES}) x GROUP BY 1`, [programId]);
  return {
    exited: new Map(ended.rows.map((r) => [r.node, r.n])),
    unsubscribed: new Map(unsub.rows.map((r) => [r.node, r.n])),
  };
}

/** One node's figures per day (UTC), oldest first, `days` days up to today included. */
export async function nodeSeries(db: Queryable, programId: string, nodeId: string, days: number): Promise<NodeDay[]> {
  const { rows } = await db.query<NodeDay>(
    `WITH d AS (
       SELECT generate_series((now() AT TIME ZONE 'UTC')::date - ($3::int - 1), (now() AT TIME ZONE 'UTC')::date, interval '1 day')::date AS day
     )
     SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
       (SELECT count(*)::int FROM node_visits v WHERE v.program_id = $1 AND v.node_id = $2 AND (v.entered_at AT TIME ZONE 'UTC')::date = d.day) AS entered,
       (SELECT count(*)::int FROM enrollments e WHERE e.program_id = $1 AND e.current_node = $2 AND e.status <> 'active' AND (e.ended_at AT TIME ZONE 'UTC')::date = d.day) AS exited,
       (SELECT count(*)::int FROM messages m WHERE m.program_id = $1 AND m.node_id = $2 AND m.status = 'sent' AND (m.sent_at AT TIME ZONE 'UTC')::date = d.day) AS sent,
       (SELECT count(*)::int FROM messages m WHERE m.program_id = $1 AND m.node_id = $2 AND (m.first_opened_at AT TIME ZONE 'UTC')::date = d.day) AS opened,
       (SELECT count(*)::int FROM messages m WHERE m.program_id = $1 AND m.node_id = $2 AND (m.first_clicked_at AT TIME ZONE 'UTC')::date = d.day) AS clicked,
       (SELECT count(*)::int FROM (${UNSUBSCRIBES}) x WHERE x.node_id = $2 AND (x.occurred_at AT TIME ZONE 'UTC')::date = d.day) AS unsubscribed
     FROM d ORDER BY d.day`,
    [programId, nodeId, days],
  );
  return rows;
}
