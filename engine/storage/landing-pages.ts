// Landing pages in PostgreSQL (engine/delivery/landing-pages.ts says what a page holds),
// and their A/B figures read from the event log: a viewer is a contact with a
// `landing_page_viewed` event of the page while its test ran, in the variant of their
// first such view; a conversion is the goal's event within the window after one of
// their views. Archived, never deleted, so events keep naming a page.
import type { Queryable } from './db.js';

export interface LandingPageRow<D, G, S> {
  id: string;
  slug: string;
  name: string;
  status: 'draft' | 'published' | 'archived';
  definition: D;
  goal: G;
  confidence: string;
  min_sample: number;
  winner: string | null;
  decided_at: Date | null;
  decision: S | null;
  decided_by: { kind: 'user' | 'key' | 'system'; id: string | null; name: string } | null;
  published_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface LandingPageColumns<D, G> {
  slug: string;
  name: string;
  definition: D;
  goal: G;
  confidence: number;
  minSample: number;
}

/** Whether a unique-slug violation: another page not archived has the slug. */
const slugTaken = (e: unknown) => (e as { code?: string }).code === '23505';

export async function insertLandingPage<D, G, S>(db: Queryable, p: LandingPageColumns<D, G>): Promise<LandingPageRow<D, G, S> | 'slug taken'> {
  try {
    const { rows } = await db.query<LandingPageRow<D, G, S>>(
      'INSERT INTO landing_pages (slug, name, definition, goal, confidence, min_sample) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
      [p.slug, p.name, JSON.stringify(p.definition), JSON.stringify(p.goal), p.confidence, p.minSample],
    );
    return rows[0]!;
  } catch (e) {
    if (slugTaken(e)) return 'slug taken';
    throw e;
  }
}

/** Changes a page that is not archived ('missing' otherwise). */
export async function updateLandingPage<D, G, S>(db: Queryable, id: string, p: LandingPageColumns<D, G>): Promise<LandingPageRow<D, G, S> | 'missing' | 'slug taken'> {
  try {
    const { rows } = await db.query<LandingPageRow<D, G, S>>(
      `UPDATE landing_pages SET slug = $2, name = $3, definition = $4, goal = $5, confidence = $6, min_sample = $7, updated_at = now()
        WHERE id = $1 AND status <> 'archived' RETURNING *`,
      [id, p.slug, p.name, JSON.stringify(p.definition), JSON.stringify(p.goal), p.confidence, p.minSample],
    );
    return rows[0] ?? 'missing';
  } catch (e) {
    if (slugTaken(e)) return 'slug taken';
    throw e;
  }
}

/** A page by id, archived ones too (their results stay readable). */
export async function landingPageRow<D, G, S>(db: Queryable, id: string): Promise<LandingPageRow<D, G, S> | undefined> {
  return (await db.query<LandingPageRow<D, G, S>>('SELECT * FROM landing_pages WHERE id = $1', [id])).rows[0];
}

/** The published page served at /p/:slug. */
export async function publishedLandingPage<D, G, S>(db: Queryable, slug: string): Promise<LandingPageRow<D, G, S> | undefined> {
  return (await db.query<LandingPageRow<D, G, S>>("SELECT * FROM landing_pages WHERE slug = $1 AND status = 'published'", [slug])).rows[0];
}

export async function landingPageRows<D, G, S>(db: Queryable): Promise<LandingPageRow<D, G, S>[]> {
  return (await db.query<LandingPageRow<D, G, S>>("SELECT * FROM landing_pages WHERE status <> 'archived' ORDER BY name, id")).rows;
}

/** Publishes or archives a page that is not archived yet; undefined when there is none. */
export async function setLandingPageStatus<D, G, S>(db: Queryable, id: string, status: 'published' | 'archived'): Promise<LandingPageRow<D, G, S> | undefined> {
  const { rows } = await db.query<LandingPageRow<D, G, S>>(
    `UPDATE landing_pages SET status = $2, published_at = CASE WHEN $2 = 'published' THEN coalesce(published_at, now()) ELSE published_at END, updated_at = now()
      WHERE id = $1 AND status <> 'archived' RETURNING *`,
    [id, status],
  );
  return rows[0];
}

/** Records the winner unless one is recorded already (several servers may decide at once: the first stands). */
export async function storeLandingPageWinner<S>(db: Queryable, id: string, winner: string, decision: S): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE landing_pages SET winner = $2, decision = $3, decided_at = now() WHERE id = $1 AND winner IS NULL', [id, winner, JSON.stringify(decision)]);
  return (rowCount ?? 0) > 0;
}

/**
 * Records a winner chosen by hand, and who chose it, on a page that is not archived and
 * has none yet; undefined otherwise (the caller reads the page to say why).
 */
export async function chooseLandingPageWinner<D, G, S>(db: Queryable, id: string, winner: string, decision: S, by: LandingPageRow<D, G, S>['decided_by']): Promise<LandingPageRow<D, G, S> | undefined> {
  const { rows } = await db.query<LandingPageRow<D, G, S>>(
    `UPDATE landing_pages SET winner = $2, decision = $3, decided_by = $4, decided_at = now(), updated_at = now()
      WHERE id = $1 AND winner IS NULL AND status <> 'archived' RETURNING *`,
    [id, winner, JSON.stringify(decision), JSON.stringify(by)],
  );
  return rows[0];
}

export interface FiguresQuery {
  pageId: string;
  viewedType: string;
  /** The goal's event type (form_submitted for a form goal, the CTA click for a CTA goal). */
  goalType: string;
  /**
   * Which of those events count: properties and their allowed values, all to match (a
   * form goal: formId, the page's forms; a CTA goal: pageId, the page, and ctaId, the
   * button when the goal names one); empty for an event goal.
   */
  goalFilter: { property: string; values: string[] }[];
  withinDays: number;
}

/**
 * Viewers and converted viewers per variant, over the views the split chose (`split`
 * true; views of a decided page show the winner to everyone and measure nothing). Each
 * viewer counts once, in the variant of their first view; a goal event within the
 * window after any of their views converts them (once).
 */
export async function landingPageFigures(db: Queryable, q: FiguresQuery): Promise<{ variant: string; viewers: number; converted: number }[]> {
  // One pair of parameters per filter, after the four fixed ones: property name, allowed values.
  const filters = q.goalFilter.map((_, i) => `AND c.properties->>$${5 + 2 * i} = ANY($${6 + 2 * i}::text[])`).join(' ');
  const { rows } = await db.query<{ variant: string; viewers: number; converted: number }>(
    `WITH views AS (
       SELECT contact_id, properties->>'variant' AS variant, occurred_at FROM events
        WHERE type = $2 AND properties->>'pageId' = $1 AND properties->>'split' = 'true'
     ), firsts AS (
       SELECT DISTINCT ON (contact_id) contact_id, variant FROM views ORDER BY contact_id, occurred_at
     ), converted AS (
       SELECT DISTINCT v.contact_id FROM views v
        WHERE EXISTS (SELECT 1 FROM events c
                       WHERE c.contact_id = v.contact_id AND c.type = $3
                         AND c.occurred_at >= v.occurred_at AND c.occurred_at <= v.occurred_at + make_interval(days => $4)
                         ${filters})
     )
     SELECT f.variant, count(*)::int AS viewers, count(c.contact_id)::int AS converted
       FROM firsts f LEFT JOIN converted c USING (contact_id) GROUP BY f.variant`,
    [q.pageId, q.viewedType, q.goalType, q.withinDays, ...q.goalFilter.flatMap((f) => [f.property, f.values])],
  );
  return rows;
}
