// The SQL of conversion attribution (engine/results/attribution.ts has the rules and the
// figures): held-out entries, and conversions read at request time from the event log
// against a program's entries and sent messages. Nothing is written per event; the
// indexes are in migrations/210_attribution.sql.
import type pg from 'pg';
import type { Queryable } from './db.js';
import type { Condition } from '../plugin/conditions.js';
import { conditionSql, Params } from './condition-sql.js';
import { HELD_OUT } from './enrollments.js';

export interface HeldOutEntry { programId: string; version: number; contactId: string; key: string; triggerEventId: string; triggerNode: string }

/** A held-out entrant: an enrollment that ends as it starts, for which no workflow runs. */
export async function recordHeldOut(tx: Queryable, e: HeldOutEntry): Promise<void> {
  await tx.query(
    `INSERT INTO enrollments (program_id, version, contact_id, key, trigger_event_id, trigger_node, status, exit_reason, ended_at)
     VALUES ($1, $2, $3, $4, $5, $6, '${HELD_OUT}', 'held out', now()) ON CONFLICT DO NOTHING`,
    [e.programId, e.version, e.contactId, e.key, e.triggerEventId, e.triggerNode],
  );
}

export interface ConversionQuery {
  programId: string;
  /** Reads only `event.*` (checked by the caller). */
  goal: Condition;
  /** `properties.total`: the value of a conversion; none counts 0. */
  valuePath?: string;
  windowSecs: number;
  /** Conversions from, and entries from (the period shown). */
  since: Date;
}

/** A conversion and the touch each model credits (a message, or the entry when `messageId` is null). */
export interface ConversionRow {
  event_id: string;
  contact_id: string;
  day: string;
  value: number;
  last_node: string;
  last_message: string | null;
  first_node: string;
  first_message: string | null;
}

/** Entries of one day (UTC) on one side of the holdout, and those with a conversion within the window after entry. */
export interface CohortRow { day: string; held_out: boolean; entrants: number; converted: number; revenue: number }

function goalAndValue(q: ConversionQuery, params: Params): { goal: string; value: string } {
  const goal = conditionSql(q.goal, params, new Date());
  const path = q.valuePath?.split('.').slice(1);
  return { goal, value: path?.length ? `COALESCE(tend_num(e.properties #> ${params.add(path)}::text[]), 0)::float8` : '0::float8' };
}

/** One program's touches of the contact of conversion `g` in the window before `at`: its entries (not held out) and sent messages. */
const touches = (programId: string, window: string, order: 'ASC' | 'DESC') => `
  SELECT t.node_id, t.message_id FROM (
    SELECT en.entered_at AS at, en.trigger_node AS node_id, NULL::uuid AS message_id FROM enrollments en
    WHERE en.program_id = ${programId} AND en.contact_id = g.contact_id AND en.status <> '${HELD_OUT}'
      AND en.entered_at <= g.occurred_at AND en.entered_at >= g.occurred_at - ${window}
    UNION ALL
    SELECT m.sent_at, m.node_id, m.id FROM messages m
    WHERE m.program_id = ${programId} AND m.contact_id = g.contact_id AND m.status = 'sent'
      AND m.sent_at <= g.occurred_at AND m.sent_at >= g.occurred_at - ${window}
  ) t ORDER BY t.at ${order}, t.message_id ${order === 'DESC' ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'} LIMIT 1`;

/**
 * The program's conversions since `q.since`: each goal event of a contact who entered
 * (outside the holdout), with a touch of the program in the window before it, and the
 * last and the first such touch. Per goal event: an index range of the contact's events
 * (events_contact_time), then two index reads of their entries and messages.
 */
export async function conversions(db: Queryable, q: ConversionQuery): Promise<ConversionRow[]> {
  const params = new Params();
  const program = `${params.add(q.programId)}::uuid`;
  const window = `make_interval(secs => ${params.add(q.windowSecs)})`;
  const since = `${params.add(q.since)}::timestamptz`;
  const { goal, value } = goalAndValue(q, params);
  const { rows } = await db.query<ConversionRow>(
    `WITH entrants AS (
       SELECT contact_id, min(entered_at) AS first_at FROM enrollments
       WHERE program_id = ${program} AND contact_id IS NOT NULL AND status <> '${HELD_OUT}' AND entered_at <= now()
       GROUP BY 1
     ),
     g AS (
       SELECT e.id, e.contact_id, e.occurred_at, ${value} AS value
       FROM entrants k JOIN events e ON e.contact_id = k.contact_id AND e.occurred_at >= k.first_at AND e.occurred_at >= ${since}
       WHERE ${goal}
     )
     SELECT g.id AS event_id, g.contact_id, to_char(g.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, g.value,
            l.node_id AS last_node, l.message_id AS last_message, f.node_id AS first_node, f.message_id AS first_message
     FROM g
     JOIN LATERAL (${touches(program, window, 'DESC')}) l ON true
     JOIN LATERAL (${touches(program, window, 'ASC')}) f ON true
     ORDER BY g.occurred_at`,
    params.values,
  );
  return rows;
}

/**
 * Entries since `q.since` per day and side of the holdout, and how many converted
 * within the window after entering (held-out entries alike: that is the comparison).
 * Per entry: an index range of the contact's events.
 */
export async function cohorts(db: Queryable, q: ConversionQuery): Promise<CohortRow[]> {
  const params = new Params();
  const program = `${params.add(q.programId)}::uuid`;
  const window = `make_interval(secs => ${params.add(q.windowSecs)})`;
  const since = `${params.add(q.since)}::timestamptz`;
  const { goal, value } = goalAndValue(q, params);
  const { rows } = await db.query<CohortRow>(
    `SELECT to_char(en.entered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, en.status = '${HELD_OUT}' AS held_out,
            count(*)::int AS entrants, count(*) FILTER (WHERE c.n > 0)::int AS converted, COALESCE(sum(c.v), 0)::float8 AS revenue
     FROM enrollments en
     CROSS JOIN LATERAL (
       SELECT count(*) AS n, sum(${value}) AS v FROM events e
       WHERE e.contact_id = en.contact_id AND e.occurred_at >= en.entered_at AND e.occurred_at <= en.entered_at + ${window} AND ${goal}
     ) c
     WHERE en.program_id = ${program} AND en.contact_id IS NOT NULL AND en.entered_at >= ${since}
     GROUP BY 1, 2 ORDER BY 1`,
    params.values,
  );
  return rows;
}
