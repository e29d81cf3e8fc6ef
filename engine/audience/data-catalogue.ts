// What this Tend's data actually holds, for the editor's pickers (condition fields,
// event types, template variables): contact fields, the attributes and event
// properties seen in a sample of stored contacts and events, with their type, a few
// example values and how many carry them; and the segments. Sampled (TABLESAMPLE)
// rather than scanned, so it stays cheap on a large database.
import { STAGE_ATTRIBUTE, readStages } from './stages.js';
import type { Queryable } from '../storage/db.js';
import { catalogueSample, estimatedRows } from '../storage/data-catalogue.js';

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
  const estimate = await estimatedRows(db, table);
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
  const sample = await catalogueSample(db, { contactsPct, eventsPct, sampleRows: SAMPLE_ROWS, examples: EXAMPLES });
  const { totals, tags, zones, segments } = sample;
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

  const attributes = toFields(sample.attributes, 'contact.attributes');
  const eventRows = sample.eventTypes;
  const propertyRows = sample.properties;
  const events = eventRows.map((e) => ({
    type: e.type,
    count: e.n,
    contacts: e.contacts,
    properties: toFields(propertyRows.filter((p) => p.grp === e.type), 'event.properties'),
  }));
  contact.find((f) => f.path === 'contact.segments')!.examples = segments.map((s) => s.key);
  // The stage attribute offers the defined stages first, also before any contact has one.
  const { stages } = await readStages(db);
  const stagePath = `contact.attributes.${STAGE_ATTRIBUTE}`;
  const stage = attributes.find((a) => a.path === stagePath);
  if (stage) stage.examples = [...new Set([...stages, ...stage.examples])];
  else attributes.push({ path: stagePath, label: labelOf(STAGE_ATTRIBUTE), type: 'string', examples: stages, count: 0 });
  return { sampled: { contacts: totals.contacts, events: totals.events }, contact, attributes, events, segments, stages };
}
