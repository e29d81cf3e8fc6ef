// Subscription topics: what a marketing email is about ("product news", "offers"), so
// a contact can leave one topic without leaving all marketing. Topics are data
// (`/api/topics`); a contact's opt-outs are `consent.topics.<key> = false`, changed on
// the preference page through the contact-change path (engine/audience/preferences.ts).
import { Type, type Static } from '@sinclair/typebox';
import type { Queryable } from '../storage/db.js';

/** Topic keys are readable in conditions: `contact.consent.topics.product-news`. */
export const TOPIC_KEY_PATTERN = '^[a-z0-9][a-z0-9_-]{0,39}$';

export const TopicInput = Type.Object(
  {
    key: Type.String({ pattern: TOPIC_KEY_PATTERN, description: 'Named by email nodes (`topic`); lower case, digits, - and _' }),
    name: Type.String({ minLength: 1, maxLength: 100, description: 'Shown to the contact on the preference page' }),
    description: Type.Optional(Type.String({ maxLength: 500, description: 'One line under the name on the preference page' })),
  },
  { additionalProperties: false },
);
export type TopicInput = Static<typeof TopicInput>;

/** What `PUT /api/topics/:key` accepts: the key is the URL's. */
export const TopicUpdate = Type.Omit(TopicInput, ['key'], { additionalProperties: false });
export type TopicUpdate = Static<typeof TopicUpdate>;

export interface Topic {
  key: string;
  name: string;
  description: string;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

interface TopicRow {
  key: string;
  name: string;
  description: string;
  archived: boolean;
  created_at: Date;
  updated_at: Date;
}

const toTopic = (r: TopicRow): Topic => ({ key: r.key, name: r.name, description: r.description, archived: r.archived, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString() });

export async function listTopics(db: Queryable, includeArchived = false): Promise<Topic[]> {
  const { rows } = await db.query<TopicRow>(`SELECT * FROM topics${includeArchived ? '' : ' WHERE NOT archived'} ORDER BY name, key`);
  return rows.map(toTopic);
}

export async function getTopic(db: Queryable, key: string): Promise<Topic | undefined> {
  const row = (await db.query<TopicRow>('SELECT * FROM topics WHERE key = $1', [key])).rows[0];
  return row ? toTopic(row) : undefined;
}

/** Creates the topic, or brings back an archived one under the same key. Undefined when an active one has the key. */
export async function insertTopic(db: Queryable, t: TopicInput): Promise<Topic | undefined> {
  const { rows } = await db.query<TopicRow>(
    `INSERT INTO topics (key, name, description) VALUES ($1, $2, $3)
     ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, archived = false, updated_at = now() WHERE topics.archived
     RETURNING *`,
    [t.key, t.name, t.description ?? ''],
  );
  return rows[0] ? toTopic(rows[0]) : undefined;
}

export async function updateTopic(db: Queryable, key: string, t: TopicUpdate): Promise<Topic | undefined> {
  const { rows } = await db.query<TopicRow>('UPDATE topics SET name = $2, description = $3, updated_at = now() WHERE key = $1 RETURNING *', [key, t.name, t.description ?? '']);
  return rows[0] ? toTopic(rows[0]) : undefined;
}

/** Archived, not deleted: opt-outs given for it keep holding for emails that still name it. */
export async function archiveTopic(db: Queryable, key: string): Promise<boolean> {
  return ((await db.query('UPDATE topics SET archived = true, updated_at = now() WHERE key = $1 AND NOT archived', [key])).rowCount ?? 0) > 0;
}

/** The contact's per-topic choices (`false` = opted out); anything malformed reads as none. */
export function topicChoices(contact: { consent: Record<string, unknown> }): Record<string, boolean> {
  const raw = (contact.consent as Record<string, unknown>).topics;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  return Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter(([, v]) => typeof v === 'boolean')) as Record<string, boolean>;
}

/** Why a marketing email about `topic` may not go to this contact, if it may not. */
export function topicRefusal(contact: { consent: Record<string, unknown> }, topic: string): string | undefined {
  return topicChoices(contact)[topic] === false ? `unsubscribed from topic ${topic}` : undefined;
}

/**
 * How many contacts left each topic on the preference page, by key: one pass over the
 * contacts that hold any topic choice (about a second at 1,000,000 contacts), asked for
 * by the Messages screen only.
 */
export async function topicOptOuts(db: Queryable): Promise<Record<string, number>> {
  const { rows } = await db.query<{ key: string; n: number }>(
    `SELECT k.key, count(*)::int AS n FROM contacts c, jsonb_each(c.consent->'topics') k
     WHERE jsonb_typeof(c.consent->'topics') = 'object' AND k.value = 'false'::jsonb AND c.merged_into IS NULL GROUP BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.key, r.n]));
}
