// Upserting many contacts at once (imports): each row is stored whole or not at all,
// with its reason. The contacts a batch names are read in one query and written with one
// INSERT and one UPDATE, and their changes become `tend.contact_changed` events in one
// statement — the same outcome as one `PUT /api/contacts` per row, in a few round trips.
import crypto from 'node:crypto';
import { planZone } from './calendars.js';
import type pg from 'pg';
import type { Contact } from '../plugin/index.js';
import type { FieldError } from '../ops/errors.js';
import { normaliseEmail, toContact, type ContactFields, type ContactRow } from './contacts.js';
import { CONTACT_CHANGED, diffContacts } from './contact-changes.js';
import { reschedule, schedulesReading } from './date-schedules.js';

export interface ContactUpsertRow extends ContactFields {
  contactId?: string;
  externalId?: string;
  email?: string;
}

export type RowResult =
  | { index: number; status: 'created' | 'updated' | 'unchanged'; id: string }
  | { index: number; status: 'rejected'; errors: FieldError[] };

/** A row that already failed validation arrives as its errors. */
export type BatchRow = { row: ContactUpsertRow } | { errors: FieldError[] };

const same = (a: Contact, b: Contact) => JSON.stringify(a) === JSON.stringify(b);

function applyFields(c: Contact, f: ContactFields): Contact {
  const attributes = { ...c.attributes };
  for (const [k, v] of Object.entries(f.attributes ?? {})) {
    if (v === null) delete attributes[k];
    else attributes[k] = v;
  }
  return {
    ...c,
    phone: 'phone' in f ? f.phone ?? null : c.phone,
    timezone: 'timezone' in f ? f.timezone ?? null : c.timezone,
    attributes,
    tags: f.tags ?? c.tags,
    consent: { ...c.consent, ...f.consent },
  };
}

/** Resolves and applies every row in order, then writes; must run inside a transaction. */
export async function upsertContacts(tx: pg.PoolClient, rows: BatchRow[]): Promise<RowResult[]> {
  const valid = rows.flatMap((r, index) => ('row' in r ? [{ index, row: { ...r.row, email: r.row.email ? normaliseEmail(r.row.email) : undefined } }] : []));
  const ids = valid.map((v) => v.row.contactId).filter((x): x is string => !!x);
  const externals = valid.map((v) => v.row.externalId).filter((x): x is string => !!x);
  const emails = valid.map((v) => v.row.email).filter((x): x is string => !!x);
  // Locked in id order, so two imports touching the same contacts cannot deadlock.
  const { rows: found } = await tx.query<ContactRow>(
    'SELECT * FROM contacts WHERE id = ANY($1::uuid[]) OR external_id = ANY($2::text[]) OR email = ANY($3::text[]) ORDER BY id FOR UPDATE',
    [ids, externals, emails],
  );
  const before = new Map<string, Contact>(found.map((r) => [r.id, toContact(r)]));
  const current = new Map(before);
  const byExternal = new Map<string, string>();
  const byEmail = new Map<string, string>();
  for (const c of before.values()) {
    if (c.externalId) byExternal.set(c.externalId, c.id);
    if (c.email) byEmail.set(c.email, c.id);
  }
  const created = new Set<string>();
  const results: RowResult[] = rows.map((r, index) => ('errors' in r ? { index, status: 'rejected', errors: r.errors } : (undefined as never)));

  for (const { index, row } of valid) {
    const { contactId, externalId, email, ...fields } = row;
    const reject = (path: string, message: string) => void (results[index] = { index, status: 'rejected', errors: [{ path, message }] });
    let id: string | undefined;
    if (contactId) {
      if (!current.has(contactId)) { reject('/contactId', `no contact has id ${contactId}`); continue; }
      id = contactId;
    } else {
      const viaExternal = externalId ? byExternal.get(externalId) : undefined;
      const viaEmail = email ? byEmail.get(email) : undefined;
      if (viaExternal && viaEmail && viaExternal !== viaEmail) { reject('/email', `email ${email} belongs to another contact than externalId ${externalId}`); continue; }
      id = viaExternal ?? viaEmail;
      if (!id) {
        if (!email && !externalId) { reject('/', 'name the contact by contactId, externalId or email'); continue; }
        id = crypto.randomUUID();
        created.add(id);
        const blank: Contact = { id, externalId: null, email: null, phone: null, attributes: {}, score: 0, tags: [], consent: {}, unsubscribed: false, timezone: null, createdAt: new Date().toISOString() };
        current.set(id, blank);
        // What a new contact is "before" its fields: its identity, as PUT /api/contacts records it.
        before.set(id, { ...blank, email: email ?? null, externalId: externalId ?? null });
      }
    }
    const was = current.get(id)!;
    // An identity a contact lacks is added, as PUT does; an email already taken stays with its owner.
    const named = { ...was, email: was.email ?? email ?? null, externalId: was.externalId ?? externalId ?? null };
    if (named.email && named.email !== was.email) byEmail.set(named.email, id);
    if (named.externalId && named.externalId !== was.externalId) byExternal.set(named.externalId, id);
    const next = applyFields(named, fields);
    current.set(id, next);
    const firstRowOfNew = created.has(id) && was.email === null && was.externalId === null;
    results[index] = { index, id, status: firstRowOfNew ? 'created' : same(was, next) ? 'unchanged' : 'updated' };
  }

  const touched = [...current.values()].filter((c) => created.has(c.id) || !same(before.get(c.id)!, c));
  const record = (c: Contact) => ({ id: c.id, email: c.email, external_id: c.externalId, phone: c.phone, timezone: c.timezone, attributes: c.attributes, tags: c.tags, consent: c.consent });
  const inserts = touched.filter((c) => created.has(c.id)).map(record);
  const updates = touched.filter((c) => !created.has(c.id)).map(record);
  const columns = 'id uuid, email text, external_id text, phone text, timezone text, attributes jsonb, tags text[], consent jsonb';
  if (inserts.length) {
    const { rowCount } = await tx.query(
      `INSERT INTO contacts (id, email, external_id, phone, timezone, attributes, tags, consent)
       SELECT id, email, external_id, phone, timezone, attributes, tags, consent FROM jsonb_to_recordset($1::jsonb) AS x(${columns})
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(inserts)],
    );
    // Another request created one of these contacts since we looked: the caller retries the batch.
    if (rowCount !== inserts.length) throw new ConcurrentCreateError();
  }
  if (updates.length) {
    await tx.query(
      `UPDATE contacts c SET email = x.email, external_id = x.external_id, phone = x.phone, timezone = x.timezone,
         attributes = x.attributes, tags = x.tags, consent = x.consent, updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS x(${columns}) WHERE c.id = x.id`,
      [JSON.stringify(updates)],
    );
  }
  await recordChanges(tx, touched.map((c) => ({ before: before.get(c.id)!, after: c })));
  return results;
}

export class ConcurrentCreateError extends Error {
  constructor() {
    super('a contact of this batch was created concurrently');
  }
}

/** The batch's `tend.contact_changed` events and outbox rows in two statements; date schedules re-planned. */
async function recordChanges(tx: pg.PoolClient, pairs: { before: Contact; after: Contact }[]): Promise<void> {
  const changed = pairs.map((p) => ({ ...p, changes: diffContacts(p.before, p.after) })).filter((p) => p.changes);
  if (!changed.length) return;
  const { rows } = await tx.query<{ id: string; contact_id: string }>(
    `INSERT INTO events (contact_id, type, properties, source)
     SELECT x.contact_id, $2, jsonb_build_object('changes', x.changes, 'by', 'import'), 'tend' FROM jsonb_to_recordset($1::jsonb) AS x(contact_id uuid, changes jsonb)
     RETURNING id, contact_id`,
    [JSON.stringify(changed.map((c) => ({ contact_id: c.after.id, changes: c.changes }))), CONTACT_CHANGED],
  );
  await tx.query('INSERT INTO outbox (event_id, contact_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])', [rows.map((r) => r.id), rows.map((r) => r.contact_id)]);
  await tx.query("SELECT pg_notify('tend_outbox', '')");
  for (const zone of new Set(changed.filter((c) => c.changes!.timezone).map((c) => c.after.timezone))) await planZone(tx, zone);
  const attributeFields = [...new Set(changed.flatMap((c) => Object.keys(c.changes!.attributes ?? {}).map((k) => `attributes.${k}`)))];
  if (!attributeFields.length) return;
  for (const schedule of await schedulesReading(tx, attributeFields)) {
    for (const c of changed) {
      if (Object.keys(c.changes!.attributes ?? {}).some((k) => `attributes.${k}` === schedule.field)) await reschedule(tx, schedule, c.after);
    }
  }
}
