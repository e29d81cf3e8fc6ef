// Subscription topics (`topics`: archived, never deleted) and how many contacts left each one.
import type { Queryable } from './db.js';

export interface TopicRow {
  key: string;
  name: string;
  description: string;
  archived: boolean;
  created_at: Date;
  updated_at: Date;
}

export async function topicRows(db: Queryable, includeArchived: boolean): Promise<TopicRow[]> {
  return (await db.query<TopicRow>(`SELECT * FROM topics${includeArchived ? '' : ' WHERE NOT archived'} ORDER BY name, key`)).rows;
}

export async function topicRow(db: Queryable, key: string): Promise<TopicRow | undefined> {
  return (await db.query<TopicRow>('SELECT * FROM topics WHERE key = $1', [key])).rows[0];
}

/** Creates the topic, or brings back an archived one under the same key. Undefined when an active one has the key. */
export async function insertTopicRow(db: Queryable, t: { key: string; name: string; description?: string }): Promise<TopicRow | undefined> {
  const { rows } = await db.query<TopicRow>(
    `INSERT INTO topics (key, name, description) VALUES ($1, $2, $3)
     ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, archived = false, updated_at = now() WHERE topics.archived
     RETURNING *`,
    [t.key, t.name, t.description ?? ''],
  );
  return rows[0];
}

export async function updateTopicRow(db: Queryable, key: string, t: { name: string; description?: string }): Promise<TopicRow | undefined> {
  const { rows } = await db.query<TopicRow>('UPDATE topics SET name = $2, description = $3, updated_at = now() WHERE key = $1 RETURNING *', [key, t.name, t.description ?? '']);
  return rows[0];
}

/** False when there was no active topic with the key. */
export async function archiveTopicRow(db: Queryable, key: string): Promise<boolean> {
  return ((await db.query('UPDATE topics SET archived = true, updated_at = now() WHERE key = $1 AND NOT archived', [key])).rowCount ?? 0) > 0;
}

/**
 * How many contacts left each topic, by key: one pass over the contacts that hold any
 * topic choice (about a second at 1,000,000 contacts).
 */
export async function topicOptOutCounts(db: Queryable): Promise<{ key: string; n: number }[]> {
  const { rows } = await db.query<{ key: string; n: number }>(
    `SELECT k.key, count(*)::int AS n FROM contacts c, jsonb_each(c.consent->'topics') k
     WHERE jsonb_typeof(c.consent->'topics') = 'object' AND k.value = 'false'::jsonb AND c.merged_into IS NULL GROUP BY 1`,
  );
  return rows;
}
