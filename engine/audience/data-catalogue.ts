// What this Tend's data actually holds, for the editor's pickers (condition fields,
// event types, template variables): contact fields, the attributes and event
// properties seen in a sample of stored contacts and events, with their type, a few
// example values and how many carry them; and the segments. Sampled (TABLESAMPLE)
// rather than scanned, so it stays cheap on a large database.
import { STAGE_ATTRIBUTE, readStages } from './stages.js';
import type { Queryable } from '../storage/db.js';

export type ValueType = 'string' | 'number' | 'boolean' | 'list' | 'date' | 'object';

export interface CatalogueField {
  /** The condition / template path, e.g. contact.attributes.plan or event.properties.total. */
  path: string;
  /** The name a marketer reads. */
  label: string;
  type: ValueType;
  /** Up to eight values seen, most common first. */
  examples: unknown[];
  /** How many sampled contacts (or events) carry it. */
  count: number;
}

export interface CatalogueEvent {
  type: string;
  /** Events of this type in the sample. */
  count: number;
  /** Distinct contacts among them. */
  contacts: number;
  properties: CatalogueField[];
}

export interface DataCatalogue {
  /** Sample sizes behind the counts. */
  sampled: { contacts: number; events: number };
  contact: CatalogueField[];
  attributes: CatalogueField[];
  events: CatalogueEvent[];
  segments: { key: string; name: string }[];
  /** The lifecycle stages defined (engine/audience/stages.ts), in order. */
  stages: string[];
}

const SAMPLE_ROWS = 20_000;
const EXAMPLES = 8;

/** The TABLESAMPLE percentage that reads about SAMPLE_ROWS rows of `table` (all of a small one). */
async function samplePercent(db: Queryable, table: 'contacts' | 'events'): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT reltuples::float8 AS n FROM pg_class WHERE oid = $1::regclass', [table]);
  const estimate = rows[0]?.n ?? -1;
  return estimate <= SAMPLE_ROWS ? 100 : Math.max(0.01, (SAMPLE_ROWS / estimate) * 100);
}

const typeOf = (jsonType: string, examples: unknown[]): ValueType => {
  if (jsonType === 'array') return 'list';
  if (jsonType === 'string' && examples.length > 0 && examples.every((e) => typeof e === 'string' && /^\d{4}-\d{2}-\d{2}(T|$)/.test(e))) return 'date';
  return (['string', 'number', 'boolean'].includes(jsonType) ? jsonType : 'object') as ValueType;
};

/** Human words for a key: first_name → First name, orderTotal → Order total. */
export const labelOf = (name: string): string => {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export async function dataCatalogue(db: Queryable): Promise<DataCatalogue> {
  const contactsPct = await samplePercent(db, 'contacts');
  const eventsPct = await samplePercent(db, 'events');
  const sampledContacts = `(SELECT * FROM contacts TABLESAMPLE SYSTEM (${contactsPct}) WHERE merged_into IS NULL LIMIT ${SAMPLE_ROWS * 2})`;
  const sampledEvents = `(SELECT * FROM events TABLESAMPLE SYSTEM (${eventsPct}) WHERE type NOT LIKE 'tend.%' LIMIT ${SAMPLE_ROWS * 2})`;

  const totals = (await db.query<{ contacts: number; events: number; with_email: number; with_phone: number; with_tz: number; with_tags: number; with_external: number }>(
    `SELECT (SELECT count(*) FROM ${sampledContacts} c)::int AS contacts, (SELECT count(*) FROM ${sampledEvents} e)::int AS events,
            count(*) FILTER (WHERE email IS NOT NULL)::int AS with_email, count(*) FILTER (WHERE phone IS NOT NULL)::int AS with_phone,
            count(*) FILTER (WHERE timezone IS NOT NULL)::int AS with_tz, count(*) FILTER (WHERE cardinality(tags) > 0)::int AS with_tags,
            count(*) FILTER (WHERE external_id IS NOT NULL)::int AS with_external
       FROM ${sampledContacts} c`,
  )).rows[0]!;
  const tags = (await db.query<{ tag: string }>(`SELECT t AS tag FROM ${sampledContacts} c, unnest(c.tags) t GROUP BY t ORDER BY count(*) DESC, t LIMIT ${EXAMPLES * 4}`)).rows.map((r) => r.tag);
  const zones = (await db.query<{ tz: string }>(`SELECT timezone AS tz FROM ${sampledContacts} c WHERE timezone IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT ${EXAMPLES}`)).rows.map((r) => r.tz);
  const contact: CatalogueField[] = [
    { path: 'contact.email', label: 'Email', type: 'string', examples: [], count: totals.with_email },
    { path: 'contact.score', label: 'Score', type: 'number', examples: [], count: totals.contacts },
    { path: 'contact.tags', label: 'Tags', type: 'list', examples: tags, count: totals.with_tags },
    { path: 'contact.segments', label: 'Segments', type: 'list', examples: [], count: totals.contacts },
    { path: 'contact.timezone', label: 'Time zone', type: 'string', examples: zones, count: totals.with_tz },
    { path: 'contact.phone', label: 'Phone', type: 'string', examples: [], count: totals.with_phone },
    { path: 'contact.externalId', label: 'External id', type: 'string', examples: [], count: totals.with_external },
    { path: 'contact.createdAt', label: 'Became a contact', type: 'date', examples: [], count: totals.contacts },
  ];

  const fields = async (source: string, column: string, group: string) => (await db.query<{ grp: string; key: string; jtype: string; n: number; examples: unknown[] }>(
    `WITH pairs AS (SELECT ${group} AS grp, kv.key, jsonb_typeof(kv.value) AS jtype, kv.value FROM ${source} s, jsonb_each(s.${column}) kv),
          counted AS (SELECT grp, key, jtype, value, count(*) AS n FROM pairs GROUP BY 1, 2, 3, 4)
     SELECT grp, key, jtype, sum(n)::int AS n,
            (array_agg(value ORDER BY n DESC, value::text) FILTER (WHERE jtype IN ('string', 'number', 'boolean')))[1:${EXAMPLES}] AS examples
       FROM counted GROUP BY 1, 2, 3 ORDER BY 1, sum(n) DESC, 2`,
  )).rows;

  // One key may hold several JSON types; the most common one names the field.
  const toFields = (rows: { key: string; jtype: string; n: number; examples: unknown[] | null }[], prefix: string): CatalogueField[] => {
    const byKey = new Map<string, CatalogueField>();
    for (const r of rows) {
      const seen = byKey.get(r.key);
      if (seen) { seen.count += r.n; continue; }
      const examples = r.examples ?? [];
      byKey.set(r.key, { path: `${prefix}.${r.key}`, label: labelOf(r.key), type: typeOf(r.jtype, examples), examples, count: r.n });
    }
    return [...byKey.values()];
  };

  const attributes = toFields(await fields(sampledContacts, 'attributes', "''"), 'contact.attributes');
  const eventRows = (await db.query<{ type: string; n: number; contacts: number }>(
    `SELECT type, count(*)::int AS n, count(DISTINCT contact_id)::int AS contacts FROM ${sampledEvents} e GROUP BY type ORDER BY count(*) DESC, type LIMIT 200`,
  )).rows;
  const propertyRows = await fields(sampledEvents, 'properties', 's.type');
  const events = eventRows.map((e) => ({
    type: e.type,
    count: e.n,
    contacts: e.contacts,
    properties: toFields(propertyRows.filter((p) => p.grp === e.type), 'event.properties'),
  }));
  const segments = (await db.query<{ key: string; name: string }>('SELECT key, name FROM segments WHERE active ORDER BY name')).rows;
  contact.find((f) => f.path === 'contact.segments')!.examples = segments.map((s) => s.key);
  // The stage attribute offers the defined stages first, also before any contact has one.
  const { stages } = await readStages(db);
  const stagePath = `contact.attributes.${STAGE_ATTRIBUTE}`;
  const stage = attributes.find((a) => a.path === stagePath);
  if (stage) stage.examples = [...new Set([...stages, ...stage.examples])];
  else attributes.push({ path: stagePath, label: labelOf(STAGE_ATTRIBUTE), type: 'string', examples: stages, count: 0 });
  return { sampled: { contacts: totals.contacts, events: totals.events }, contact, attributes, events, segments, stages };
}
