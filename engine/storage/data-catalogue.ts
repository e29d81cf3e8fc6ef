// The data catalogue's reads: a TABLESAMPLE of contacts and events (so it stays cheap
// on a large database) and what it holds — contact fields filled, tags, time zones,
// attribute and event property keys with their JSON types and common values — and the
// active segments.
import type { Queryable } from './db.js';

/** The planner's estimate of the table's rows (-1: never analysed). */
export async function estimatedRows(db: Queryable, table: 'contacts' | 'events'): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT reltuples::float8 AS n FROM pg_class WHERE oid = $1::regclass', [table]);
  return rows[0]?.n ?? -1;
}

export interface KeyRow { grp: string; key: string; jtype: string; n: number; examples: unknown[] }

export interface CatalogueSample {
  totals: { contacts: number; events: number; with_email: number; with_phone: number; with_tz: number; with_tags: number; with_external: number };
  /** Most common first. */
  tags: string[];
  zones: string[];
  /** Attribute keys of the sampled contacts (grp ''), most common first. */
  attributes: KeyRow[];
  /** Event types of the sampled events, most common first (200 at most). */
  eventTypes: { type: string; n: number; contacts: number }[];
  /** Property keys per event type (grp). */
  properties: KeyRow[];
  segments: { key: string; name: string }[];
}

/**
 * Reads `contactsPct` / `eventsPct` percent of the tables' pages (at most `sampleRows`
 * × 2 rows each; events Tend records itself left out), with up to `examples` values per key.
 */
export async function catalogueSample(db: Queryable, s: { contactsPct: number; eventsPct: number; sampleRows: number; examples: number }): Promise<CatalogueSample> {
  const sampledContacts = `(SELECT * FROM contacts TABLESAMPLE SYSTEM (${s.contactsPct}) WHERE merged_into IS NULL LIMIT ${s.sampleRows * 2})`;
  const sampledEvents = `(SELECT * FROM events TABLESAMPLE SYSTEM (${s.eventsPct}) WHERE type NOT LIKE 'tend.%' LIMIT ${s.sampleRows * 2})`;

  const totals = (await db.query<CatalogueSample['totals']>(
    `SELECT (SELECT count(*) FROM ${sampledContacts} c)::int AS contacts, (SELECT count(*) FROM ${sampledEvents} e)::int AS events,
            count(*) FILTER (WHERE email IS NOT NULL)::int AS with_email, count(*) FILTER (WHERE phone IS NOT NULL)::int AS with_phone,
            count(*) FILTER (WHERE timezone IS NOT NULL)::int AS with_tz, count(*) FILTER (WHERE cardinality(tags) > 0)::int AS with_tags,
            count(*) FILTER (WHERE external_id IS NOT NULL)::int AS with_external
       FROM ${sampledContacts} c`,
  )).rows[0]!;
  const tags = (await db.query<{ tag: string }>(`SELECT t AS tag FROM ${sampledContacts} c, unnest(c.tags) t GROUP BY t ORDER BY count(*) DESC, t LIMIT ${s.examples * 4}`)).rows.map((r) => r.tag);
  const zones = (await db.query<{ tz: string }>(`SELECT timezone AS tz FROM ${sampledContacts} c WHERE timezone IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT ${s.examples}`)).rows.map((r) => r.tz);

  const fields = async (source: string, column: string, group: string) => (await db.query<KeyRow>(
    `WITH pairs AS (SELECT ${group} AS grp, kv.key, jsonb_typeof(kv.value) AS jtype, kv.value FROM ${source} s, jsonb_each(s.${column}) kv),
          counted AS (SELECT grp, key, jtype, value, count(*) AS n FROM pairs GROUP BY 1, 2, 3, 4)
     SELECT grp, key, jtype, sum(n)::int AS n,
            (array_agg(value ORDER BY n DESC, value::text) FILTER (WHERE jtype IN ('string', 'number', 'boolean')))[1:${s.examples}] AS examples
       FROM counted GROUP BY 1, 2, 3 ORDER BY 1, sum(n) DESC, 2`,
  )).rows;

  const attributes = await fields(sampledContacts, 'attributes', "''");
  const eventTypes = (await db.query<{ type: string; n: number; contacts: number }>(
    `SELECT type, count(*)::int AS n, count(DISTINCT contact_id)::int AS contacts FROM ${sampledEvents} e GROUP BY type ORDER BY count(*) DESC, type LIMIT 200`,
  )).rows;
  const properties = await fields(sampledEvents, 'properties', 's.type');
  const segments = (await db.query<{ key: string; name: string }>('SELECT key, name FROM segments WHERE active ORDER BY name')).rows;
  return { totals, tags, zones, attributes, eventTypes, properties, segments };
}
