// The home screen's figures, each one query: contacts, events and messages per day,
// live programs with their contacts inside and goals reached, and what is failing.
import type { Queryable } from './db.js';

export interface Dashboard {
  days: number;
  contacts: { total: number; newThisWeek: number };
  /** One row per day (UTC), oldest first, every day present. */
  perDay: { day: string; events: number; sent: number; opened: number; clicked: number; unsubscribed: number }[];
  programs: { id: string; name: string; version: number | null; inside: number; entered: number; goals: number }[];
  failing: { failedMessages: number; failedSteps: number; outbox: number; oldestOutboxSeconds: number | null; byProgram: { id: string; name: string; failedMessages: number; failedSteps: number }[] };
}

export async function dashboard(db: Queryable, days: number): Promise<Dashboard> {
  const [contacts, perDay, programs, failing, outbox] = await Promise.all([
    db.query<{ total: number; new: number }>(
      "SELECT count(*)::int AS total, count(*) FILTER (WHERE created_at > now() - interval '7 days')::int AS new FROM contacts WHERE merged_into IS NULL"),
    db.query<Dashboard['perDay'][number]>(
      `WITH d AS (SELECT generate_series(date_trunc('day', now() AT TIME ZONE 'UTC') - make_interval(days => $1 - 1), date_trunc('day', now() AT TIME ZONE 'UTC'), interval '1 day') AS day),
       ev AS (SELECT date_trunc('day', received_at AT TIME ZONE 'UTC') AS day,
                count(*) FILTER (WHERE source <> 'tend' AND type NOT IN ('email_opened', 'email_clicked'))::int AS events,
                count(*) FILTER (WHERE type = 'email_opened')::int AS opened,
                count(*) FILTER (WHERE type = 'email_clicked')::int AS clicked,
                count(*) FILTER (WHERE type = 'tend.unsubscribed')::int AS unsubscribed
              FROM events WHERE received_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - make_interval(days => $1 - 1) GROUP BY 1),
       ms AS (SELECT date_trunc('day', sent_at AT TIME ZONE 'UTC') AS day, count(*)::int AS sent FROM messages
              WHERE status = 'sent' AND sent_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - make_interval(days => $1 - 1) GROUP BY 1)
       SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(ev.events, 0) AS events, coalesce(ms.sent, 0) AS sent, coalesce(ev.opened, 0) AS opened,
              coalesce(ev.clicked, 0) AS clicked, coalesce(ev.unsubscribed, 0) AS unsubscribed
       FROM d LEFT JOIN ev ON ev.day = d.day LEFT JOIN ms ON ms.day = d.day ORDER BY d.day`, [days]),
    db.query<Dashboard['programs'][number]>(
      `SELECT p.id, p.name, p.live_version AS version,
              count(e.id) FILTER (WHERE e.status = 'active')::int AS inside, count(e.id)::int AS entered,
              count(e.id) FILTER (WHERE e.exit_reason = 'goal reached')::int AS goals
       FROM programs p LEFT JOIN enrollments e ON e.program_id = p.id
       WHERE p.status = 'live' GROUP BY p.id ORDER BY inside DESC, p.name LIMIT 20`),
    db.query<{ id: string; name: string; failed_messages: number; failed_steps: number }>(
      `SELECT p.id, p.name,
              (SELECT count(*) FROM messages m WHERE m.program_id = p.id AND m.status = 'failed' AND m.created_at > now() - interval '7 days')::int AS failed_messages,
              (SELECT count(*) FROM node_visits v WHERE v.program_id = p.id AND v.status = 'failed' AND v.entered_at > now() - interval '7 days')::int AS failed_steps
       FROM programs p WHERE p.status <> 'archived'`),
    db.query<{ n: number; oldest: number | null }>('SELECT count(*)::int AS n, extract(epoch FROM now() - min(created_at))::float8 AS oldest FROM outbox'),
  ]);
  const byProgram = failing.rows.filter((r) => r.failed_messages + r.failed_steps > 0)
    .map((r) => ({ id: r.id, name: r.name, failedMessages: r.failed_messages, failedSteps: r.failed_steps }))
    .sort((a, b) => b.failedMessages + b.failedSteps - (a.failedMessages + a.failedSteps));
  return {
    days,
    contacts: { total: contacts.rows[0]!.total, newThisWeek: contacts.rows[0]!.new },
    perDay: perDay.rows,
    programs: programs.rows,
    failing: {
      failedMessages: byProgram.reduce((n, p) => n + p.failedMessages, 0),
      failedSteps: byProgram.reduce((n, p) => n + p.failedSteps, 0),
      outbox: outbox.rows[0]!.n,
      oldestOutboxSeconds: outbox.rows[0]!.oldest === null ? null : Math.round(outbox.rows[0]!.oldest),
      byProgram,
    },
  };
}
