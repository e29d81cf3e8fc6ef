// Contacts: identity resolution (id, external id, email), reads, and the field and
// tag operations that nodes and the API apply.
import type { Queryable } from './db.js';
import type { Contact, ContactOperation } from '../plugin/index.js';
import { EngineProblem } from '../ops/errors.js';
import { recordContactChanges } from './contact-changes.js';

export { toContact, type ContactRow } from './contact-row.js';
import { toContact, type ContactRow } from './contact-row.js';

/** Columns a contact operation may name directly; every other field is an attribute. */
export const COLUMN_FIELDS = ['email', 'phone', 'timezone', 'externalId'] as const;

export interface Identity {
  contactId?: string;
  externalId?: string;
  email?: string;
}

/** Contacts (`c`) with the keys of their segments. */
const WITH_SEGMENTS = `SELECT c.*, ARRAY(SELECT s.key FROM segment_members m JOIN segments s ON s.id = m.segment_id WHERE m.contact_id = c.id ORDER BY s.key) AS segments
     FROM contacts c`;

export async function getContact(db: Queryable, id: string, forUpdate = false): Promise<Contact | undefined> {
  const { rows } = await db.query<ContactRow>(
    `${WITH_SEGMENTS} WHERE c.id = $1${forUpdate ? ' FOR UPDATE OF c' : ''}`,
    [id],
  );
  return rows[0] ? toContact(rows[0]) : undefined;
}

/** Several contacts (with their segments) in one query, by id; absent ones are missing from the map. */
export async function getContacts(db: Queryable, ids: string[]): Promise<Map<string, Contact>> {
  const { rows } = await db.query<ContactRow>(
    `${WITH_SEGMENTS} WHERE c.id = ANY($1)`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, toContact(r)]));
}

/** One contact's row as stored, without its segments. */
export async function contactRow(db: Queryable, id: string): Promise<ContactRow | undefined> {
  return (await db.query<ContactRow>('SELECT * FROM contacts WHERE id = $1', [id])).rows[0];
}

/** One contact's attributes, or undefined when there is no such contact. */
export async function contactAttributes(db: Queryable, id: string): Promise<Record<string, unknown> | undefined> {
  return (await db.query<{ attributes: Record<string, unknown> }>('SELECT attributes FROM contacts WHERE id = $1', [id])).rows[0]?.attributes;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Finds the contact an identity names, creating it when it names none. Inside a
 * transaction: the caller commits the contact with whatever it stores next.
 */
export async function resolveContact(tx: Queryable, who: Identity, path = ''): Promise<{ contact: Contact; created: boolean }> {
  if (who.contactId) {
    const c = await getContact(tx, who.contactId, true);
    if (!c) throw new EngineProblem('not-found', 'Unknown contact', [{ path: `${path}/contactId`, message: `no contact has id ${who.contactId}` }]);
    return { contact: c, created: false };
  }
  const email = who.email ? normaliseEmail(who.email) : undefined;
  const byExternal = who.externalId ? (await tx.query<ContactRow>('SELECT * FROM contacts WHERE external_id = $1 FOR UPDATE', [who.externalId])).rows[0] : undefined;
  const byEmail = email ? (await tx.query<ContactRow>('SELECT * FROM contacts WHERE email = $1 FOR UPDATE', [email])).rows[0] : undefined;
  if (byExternal && byEmail && byExternal.id !== byEmail.id) {
    throw new EngineProblem('conflict', 'Identity conflict', [{ path: `${path}/email`, message: `email ${email} belongs to another contact than externalId ${who.externalId}` }]);
  }
  const found = byExternal ?? byEmail;
  if (found) {
    if ((email && !found.email) || (who.externalId && !found.external_id)) {
      const { rows } = await tx.query<ContactRow>(
        'UPDATE contacts SET email = COALESCE(email, $2), external_id = COALESCE(external_id, $3), updated_at = now() WHERE id = $1 RETURNING *',
        [found.id, email ?? null, who.externalId ?? null],
      );
      return { contact: toContact(rows[0]), created: false };
    }
    return { contact: toContact(found), created: false };
  }
  if (!email && !who.externalId) throw new EngineProblem('invalid', 'No contact named', [{ path: path || '/', message: 'name the contact by contactId, externalId or email' }]);
  // Two requests may create the same contact at once; the loser re-reads the winner's row.
  const { rows } = await tx.query<ContactRow>(
    `INSERT INTO contacts (email, external_id) VALUES ($1, $2)
     ON CONFLICT DO NOTHING RETURNING *`,
    [email ?? null, who.externalId ?? null],
  );
  if (rows[0]) return { contact: toContact(rows[0]), created: true };
  return resolveContact(tx, who, path);
}

export interface ContactFields {
  phone?: string | null;
  timezone?: string | null;
  attributes?: Record<string, unknown>;
  tags?: string[];
  consent?: Record<string, unknown>;
}

/** Merges the given fields into a contact (attributes merge key by key; null removes one). */
export async function updateContactFields(tx: Queryable, id: string, fields: ContactFields, context?: Record<string, unknown>): Promise<Contact> {
  const before = await getContact(tx, id, true);
  const attrs = fields.attributes ?? {};
  const set = Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== null));
  const unset = Object.entries(attrs).filter(([, v]) => v === null).map(([k]) => k);
  const { rows } = await tx.query<ContactRow>(
    `UPDATE contacts SET
       phone = CASE WHEN $2::boolean THEN $3 ELSE phone END,
       timezone = CASE WHEN $4::boolean THEN $5 ELSE timezone END,
       attributes = (attributes || $6::jsonb) - $7::text[],
       tags = CASE WHEN $8::text[] IS NULL THEN tags ELSE $8::text[] END,
       consent = consent || $9::jsonb,
       updated_at = now()
     WHERE id = $1 RETURNING *`,
    [id, 'phone' in fields, fields.phone ?? null, 'timezone' in fields, fields.timezone ?? null, JSON.stringify(set), unset, fields.tags ?? null, JSON.stringify(fields.consent ?? {})],
  );
  const after = toContact(rows[0]);
  if (before) await recordContactChanges(tx, before, after, context);
  return after;
}

/** Applies node operations to a contact read FOR UPDATE in the same transaction. */
export async function applyOperations(tx: Queryable, id: string, ops: ContactOperation[], context?: Record<string, unknown>): Promise<Contact> {
  const current = await getContact(tx, id, true);
  if (!current) throw new Error(`contact ${id} does not exist`);
  const attributes = { ...current.attributes };
  const tags = new Set(current.tags);
  const consent = { ...current.consent };
  const columns: Record<string, unknown> = { email: current.email, phone: current.phone, timezone: current.timezone, externalId: current.externalId };
  for (const op of ops) {
    if (op.op === 'addTag') tags.add(op.tag);
    else if (op.op === 'removeTag') tags.delete(op.tag);
    else if (op.op === 'setConsent') consent[op.channel] = op.value;
    else {
      const isColumn = (COLUMN_FIELDS as readonly string[]).includes(op.field);
      const read = () => (isColumn ? columns[op.field] : attributes[op.field]);
      const write = (v: unknown) => {
        if (isColumn) columns[op.field] = v === undefined || v === null ? null : op.field === 'email' ? normaliseEmail(String(v)) : String(v);
        else if (v === undefined) delete attributes[op.field];
        else attributes[op.field] = v;
      };
      if (op.op === 'set') write(op.value);
      else if (op.op === 'unset') write(undefined);
      else if (op.op === 'increment') write((Number(read()) || 0) + op.by);
    }
  }
  const { rows } = await tx.query<ContactRow>(
    `UPDATE contacts SET attributes = $2, tags = $3, email = $4, phone = $5, timezone = $6, external_id = $7, consent = $8, updated_at = now() WHERE id = $1 RETURNING *`,
    [id, JSON.stringify(attributes), [...tags], columns.email, columns.phone, columns.timezone, columns.externalId, JSON.stringify(consent)],
  );
  // Memberships are the dispatcher's to change (after this change's event): as they were.
  const after = { ...toContact(rows[0]), ...(current.segments ? { segments: current.segments } : {}) };
  await recordContactChanges(tx, current, after, context);
  return after;
}
