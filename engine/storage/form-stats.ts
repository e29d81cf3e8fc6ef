// How a form is doing: its views (a counter per form and day, added to by each load of
// the hosted page or the embed), its submissions (the `form_submitted` events naming
// it, newest first, paged by a keyset cursor) and both per day for the Forms screen.
import type { Queryable } from './db.js';
import { FORM_SUBMITTED } from './forms.js';

/** Today in UTC: the days of views and submissions are UTC days, as on the dashboard. */
const TODAY = "(now() AT TIME ZONE 'UTC')::date";
/**
 * The events of submissions, written out rather than a parameter so the planner can see
 * the partial index events_form_submitted (migration 175) applies.
 */
const SUBMITTED = `type = '${FORM_SUBMITTED}'`;

/** One more view of the form today. */
export async function countFormView(db: Queryable, formId: string): Promise<void> {
  await db.query(
    `INSERT INTO form_views (form_id, day, views) VALUES ($1, ${TODAY}, 1)
     ON CONFLICT (form_id, day) DO UPDATE SET views = form_views.views + 1`,
    [formId],
  );
}

export interface FormSubmissionEntry {
  eventId: string;
  contactId: string;
  /** The contact's email now (the one typed is values.email). */
  email: string | null;
  submittedAt: string;
  values: Record<string, unknown>;
  hidden: Record<string, unknown>;
  page?: string;
}

interface SubmissionRow { id: string; contact_id: string; email: string | null; occurred_at: Date; properties: Record<string, unknown>; cursor_at: string }

const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * A form's submissions, newest first; `after` is the last entry's (occurred_at, id) of
 * the page before. Returns the page and the cursor of the next one (null on the last).
 * The properties are read defensively: anyone with a write key may post a
 * `form_submitted` event of their own, and it counts as a submission like any other.
 */
export async function listFormSubmissions(db: Queryable, formId: string, { after, limit }: { after?: [string, string]; limit: number }): Promise<{ submissions: FormSubmissionEntry[]; next: [string, string] | null }> {
  const params: unknown[] = [formId, limit + 1];
  if (after) params.push(after[0], after[1]);
  const { rows } = await db.query<SubmissionRow>(
    `SELECT e.id, e.contact_id, c.email, e.occurred_at, e.properties,
            to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
     FROM events e JOIN contacts c ON c.id = e.contact_id
     WHERE e.${SUBMITTED} AND e.properties->>'formId' = $1
       ${after ? 'AND (e.occurred_at, e.id) < ($3::timestamptz, $4::uuid)' : ''}
     ORDER BY e.occurred_at DESC, e.id DESC LIMIT $2`,
    params,
  );
  // One row more than asked says whether there is a next page, so the last page never
  // offers a "more" that turns out empty.
  const page = rows.slice(0, limit);
  const last = rows.length > limit ? page.at(-1) : undefined;
  return {
    submissions: page.map((r) => ({
      eventId: r.id, contactId: r.contact_id, email: r.email, submittedAt: r.occurred_at.toISOString(),
      values: record(r.properties.values), hidden: record(r.properties.hidden),
      ...(typeof r.properties.page === 'string' ? { page: r.properties.page } : {}),
    })),
    next: last ? [last.cursor_at, last.id] : null,
  };
}

export interface FormStats {
  views: number;
  submissions: number;
  /** submissions / views; null with no views. It may pass 1: the embed can be submitted without being loaded, and events can be posted. */
  conversionRate: number | null;
  /** One row per UTC day, oldest first, every day present. */
  perDay: { day: string; views: number; submissions: number }[];
}

/** Views and submissions of the last `days` days (today included). */
export async function formStats(db: Queryable, formId: string, days: number): Promise<FormStats> {
  const { rows } = await db.query<FormStats['perDay'][number]>(
    `WITH d AS (SELECT ${TODAY} - i AS day FROM generate_series(0, $3::int - 1) AS i),
     v AS (SELECT day, views FROM form_views WHERE form_id = $1 AND day > ${TODAY} - $3::int),
     s AS (SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, count(*) AS submissions FROM events
           WHERE ${SUBMITTED} AND properties->>'formId' = $2 AND occurred_at >= (${TODAY} - ($3::int - 1))::timestamp AT TIME ZONE 'UTC'
           GROUP BY 1)
     SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(v.views, 0)::int8 AS views, coalesce(s.submissions, 0)::int8 AS submissions
     FROM d LEFT JOIN v ON v.day = d.day LEFT JOIN s ON s.day = d.day ORDER BY d.day`,
    // The id twice: as the uuid of form_views and as the text in events' properties.
    [formId, formId, days],
  );
  const views = rows.reduce((n, r) => n + r.views, 0);
  const submissions = rows.reduce((n, r) => n + r.submissions, 0);
  return { views, submissions, conversionRate: views ? submissions / views : null, perDay: rows };
}
