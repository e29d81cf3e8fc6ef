// Subscription topics: what a marketing email is about ("product news", "offers"), so
// a contact can leave one topic without leaving all marketing. Topics are data
// (`/api/topics`); a contact's opt-outs are `consent.topics.<key> = false`, changed on
// the preference page through the contact-change path (engine/audience/preferences.ts).
import { Type, type Static } from '@sinclair/typebox';
import type { Queryable } from '../storage/db.js';
import { archiveTopicRow, insertTopicRow, topicOptOutCounts, topicRow, topicRows, updateTopicRow, type TopicRow } from '../storage/topics.js';

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

const toTopic = (r: TopicRow): Topic => ({ key: r.key, name: r.name, description: r.description, archived: r.archived, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString() });

export async function listTopics(db: Queryable, includeArchived = false): Promise<Topic[]> {
  return (await topicRows(db, includeArchived)).map(toTopic);
}

export async function getTopic(db: Queryable, key: string): Promise<Topic | undefined> {
  const row = await topicRow(db, key);
  return row ? toTopic(row) : undefined;
}

/** Creates the topic, or brings back an archived one under the same key. Undefined when an active one has the key. */
export async function insertTopic(db: Queryable, t: TopicInput): Promise<Topic | undefined> {
  const row = await insertTopicRow(db, t);
  return row ? toTopic(row) : undefined;
}

export async function updateTopic(db: Queryable, key: string, t: TopicUpdate): Promise<Topic | undefined> {
  const row = await updateTopicRow(db, key, t);
  return row ? toTopic(row) : undefined;
}

/** Archived, not deleted: opt-outs given for it keep holding for emails that still name it. */
export async function archiveTopic(db: Queryable, key: string): Promise<boolean> {
  return archiveTopicRow(db, key);
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
  const rows = await topicOptOutCounts(db);
  return Object.fromEntries(rows.map((r) => [r.key, r.n]));
}
