// The predictive lead score's stored parts: its settings (`predictive_settings`, one
// row), the trained models (`predictive_models`, the newest in use), the leads' activity
// counts it learns from, and the lock that lets one process train at a time.
import type pg from 'pg';
import type { Queryable } from './db.js';

export async function settingsRow<S>(db: Queryable): Promise<S | undefined> {
  return (await db.query<{ settings: S }>('SELECT settings FROM predictive_settings')).rows[0]?.settings;
}

export async function storeSettings(db: Queryable, settings: unknown): Promise<void> {
  await db.query(
    'INSERT INTO predictive_settings (id, settings) VALUES (true, $1) ON CONFLICT (id) DO UPDATE SET settings = EXCLUDED.settings, updated_at = now()',
    [JSON.stringify(settings)],
  );
}

export async function newestModelRow<M, Q>(db: Queryable): Promise<{ id: string; trained_at: Date; model: M; quality: Q } | undefined> {
  return (await db.query<{ id: string; trained_at: Date; model: M; quality: Q }>('SELECT * FROM predictive_models ORDER BY id DESC LIMIT 1')).rows[0];
}

export async function storeModel(db: Queryable, model: unknown, quality: unknown): Promise<void> {
  await db.query('INSERT INTO predictive_models (model, quality) VALUES ($1, $2)', [JSON.stringify(model), JSON.stringify(quality)]);
}

export interface LeadCounts {
  id: string;
  converted: boolean;
  score: number;
  /** Per feature event type, in the order given. */
  counts: string[];
}

/**
 * Leads (contacts with a feature event; the newest 100,000) with their score and the
 * count of each feature event in `windowSeconds` before their reference time: their
 * first conversion, or now. `contactId` narrows it to one contact.
 */
export async function leadCounts(db: Queryable, features: string[], conversionEvent: string, windowSeconds: number, contactId?: string): Promise<LeadCounts[]> {
  const { rows } = await db.query<LeadCounts>(
    `WITH conv AS (SELECT contact_id, min(occurred_at) AS at FROM events WHERE type = $2 ${contactId ? 'AND contact_id = $4' : ''} GROUP BY contact_id),
     leads AS (
       SELECT c.id, c.score, COALESCE(conv.at, now()) AS ref, conv.at IS NOT NULL AS converted
       FROM contacts c LEFT JOIN conv ON conv.contact_id = c.id
       WHERE ${contactId ? 'c.id = $4 AND ' : ''}EXISTS (SELECT 1 FROM events e WHERE e.contact_id = c.id AND e.type = ANY($1::text[]))
       ORDER BY c.created_at DESC LIMIT 100000)
     SELECT l.id, l.converted, l.score,
            ARRAY(SELECT (SELECT count(*) FROM events e WHERE e.contact_id = l.id AND e.type = f.type AND e.occurred_at < l.ref AND e.occurred_at >= l.ref - make_interval(secs => $3))
                  FROM unnest($1::text[]) WITH ORDINALITY AS f(type, n) ORDER BY f.n) AS counts
     FROM leads l`,
    [features, conversionEvent, windowSeconds, ...(contactId ? [contactId] : [])],
  );
  return rows;
}

/** One attribute of one contact, as stored (JSON). */
export async function attributeOf(tx: Queryable, contactId: string, field: string): Promise<unknown> {
  return (await tx.query<{ v: unknown }>('SELECT attributes->$2 AS v FROM contacts WHERE id = $1', [contactId, field])).rows[0]?.v;
}

const TRAINING_LOCK = 7346503;

/** The session-level training lock, on a client held across the training; false when another process holds it. */
export async function tryLockTraining(client: pg.PoolClient): Promise<boolean> {
  return (await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${TRAINING_LOCK}) AS ok`)).rows[0]!.ok;
}

export async function unlockTraining(client: pg.PoolClient): Promise<void> {
  await client.query(`SELECT pg_advisory_unlock(${TRAINING_LOCK})`);
}
