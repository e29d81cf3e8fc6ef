// Identities of contacts beyond email and external id: anonymous visitor ids
// (`contact_identities`), merges of one contact into another (`merged_into`,
// `contact_merges`), and the locks every change to a contact's identity takes.
import type pg from 'pg';
import type { Queryable } from './db.js';

/** The identity kind of an anonymous visitor id (the tracking cookie). */
export const ANONYMOUS = 'anonymous';

/**
 * Takes the locks every change to a contact's identity takes, in id order so two
 * merges touching the same contacts cannot deadlock. `score:` is the scoring lock
 * (`lockScore` in storage/scoring.ts): a merge moves score awards.
 */
export async function lockContacts(tx: pg.PoolClient, ids: string[]): Promise<void> {
  for (const id of [...new Set(ids)].sort()) {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`contact:${id}`]);
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`score:${id}`]);
  }
}

/** Locks of their own key space (class 7), taken before any contact lock. */
export async function lockIdentityKey(tx: pg.PoolClient, key: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(7, hashtext($1))', [key]);
}

/** The contact this one was merged into, or null. */
export async function mergedInto(tx: Queryable, id: string): Promise<string | null> {
  const { rows } = await tx.query<{ merged_into: string | null }>('SELECT merged_into FROM contacts WHERE id = $1', [id]);
  return rows[0]?.merged_into ?? null;
}

/** The contact an anonymous id was first stored for (before following merges). */
export async function anonymousContactId(tx: Queryable, anonymousId: string): Promise<string | undefined> {
  const { rows } = await tx.query<{ contact_id: string }>('SELECT contact_id FROM contact_identities WHERE kind = $1 AND value = $2', [ANONYMOUS, anonymousId]);
  return rows[0]?.contact_id;
}

/** Stores a new anonymous id with a new contact without email; a concurrent first hit may win, whose contact is returned. */
export async function createAnonymousContact(tx: pg.PoolClient, anonymousId: string): Promise<string> {
  const created = await tx.query<{ id: string }>('INSERT INTO contacts DEFAULT VALUES RETURNING id');
  const { rows } = await tx.query<{ contact_id: string }>(
    `INSERT INTO contact_identities (kind, value, contact_id) VALUES ($1, $2, $3)
     ON CONFLICT (kind, value) DO UPDATE SET kind = EXCLUDED.kind RETURNING contact_id`,
    [ANONYMOUS, anonymousId, created.rows[0]!.id],
  );
  // A concurrent first hit won: drop the contact made for nothing.
  if (rows[0]!.contact_id !== created.rows[0]!.id) await tx.query('DELETE FROM contacts WHERE id = $1', [created.rows[0]!.id]);
  return rows[0]!.contact_id;
}

export async function contactIdByEmail(tx: Queryable, email: string): Promise<string | undefined> {
  return (await tx.query<{ id: string }>('SELECT id FROM contacts WHERE email = $1', [email])).rows[0]?.id;
}

/** A contact's email and external id: whether it is a known person. */
export async function namesOf(tx: Queryable, id: string): Promise<{ email: string | null; external_id: string | null } | undefined> {
  const { rows } = await tx.query<{ email: string | null; external_id: string | null }>('SELECT email, external_id FROM contacts WHERE id = $1', [id]);
  return rows[0];
}

/** Marks the anonymous id as proved by a signed link. */
export async function verifyAnonymousId(tx: Queryable, anonymousId: string): Promise<void> {
  await tx.query('UPDATE contact_identities SET verified_at = now() WHERE kind = $1 AND value = $2', [ANONYMOUS, anonymousId]);
}

/** Names the contact by a browser never seen before; false when the id was stored meanwhile. */
export async function linkAnonymousId(tx: Queryable, anonymousId: string, contactId: string, verified: boolean): Promise<boolean> {
  const linked = await tx.query('INSERT INTO contact_identities (kind, value, contact_id, verified_at) VALUES ($1, $2, $3, CASE WHEN $4::boolean THEN now() END) ON CONFLICT DO NOTHING', [ANONYMOUS, anonymousId, contactId, verified]);
  return Boolean(linked.rowCount);
}

/** Moves the anonymous id to another contact, without history; verified only by this call's proof. */
export async function relinkAnonymousId(tx: Queryable, anonymousId: string, contactId: string, verified: boolean): Promise<void> {
  await tx.query('UPDATE contact_identities SET contact_id = $3, verified_at = CASE WHEN $4::boolean THEN now() END WHERE kind = $1 AND value = $2', [ANONYMOUS, anonymousId, contactId, verified]);
}

/** Whether this anonymous id was proved by a signed link to belong to `contactId`. */
export async function isVerifiedFor(tx: Queryable, anonymousId: string, contactId: string): Promise<boolean> {
  const { rows } = await tx.query('SELECT 1 FROM contact_identities WHERE kind = $1 AND value = $2 AND contact_id = $3 AND verified_at IS NOT NULL', [ANONYMOUS, anonymousId, contactId]);
  return rows.length > 0;
}

/** The contact an anonymous id names today, following merges (20 hops at most), without locks. */
export async function currentVisitor(db: Queryable, anonymousId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `WITH RECURSIVE chain AS (
       SELECT c.id, c.merged_into, 0 AS hops FROM contact_identities i JOIN contacts c ON c.id = i.contact_id WHERE i.kind = $1 AND i.value = $2
       UNION ALL SELECT c.id, c.merged_into, chain.hops + 1 FROM chain JOIN contacts c ON c.id = chain.merged_into WHERE chain.hops < 20
     ) SELECT id FROM chain WHERE merged_into IS NULL LIMIT 1`,
    [ANONYMOUS, anonymousId],
  );
  return rows[0]?.id;
}

/** Row-locks both contacts of a merge, the merged one first; returns what the merged one brings along. */
export async function lockMergeRows(tx: pg.PoolClient, mergedId: string, survivorId: string): Promise<{ score: number; attributes: Record<string, unknown>; tags: string[] }> {
  const loser = (await tx.query<{ score: number; attributes: Record<string, unknown>; tags: string[] }>('SELECT score, attributes, tags FROM contacts WHERE id = $1 FOR UPDATE', [mergedId])).rows[0]!;
  await tx.query('SELECT 1 FROM contacts WHERE id = $1 FOR UPDATE', [survivorId]);
  return loser;
}

/**
 * Moves the merged contact's history to the survivor: events (occurred_at untouched),
 * identities, score awards, messages, runs, purchases; drops what is the merged
 * contact's alone (due dates, RFM queue, segment memberships and re-checks).
 */
export async function moveHistory(tx: pg.PoolClient, mergedId: string, survivorId: string): Promise<{ eventsMoved: number; identities: { kind: string; value: string }[] }> {
  const moved = await tx.query('UPDATE events SET contact_id = $2 WHERE contact_id = $1', [mergedId, survivorId]);
  const identities = await tx.query<{ kind: string; value: string }>('UPDATE contact_identities SET contact_id = $2 WHERE contact_id = $1 RETURNING kind, value', [mergedId, survivorId]);
  await tx.query('UPDATE score_awards SET contact_id = $2 WHERE contact_id = $1', [mergedId, survivorId]);
  await tx.query('UPDATE messages SET contact_id = $2 WHERE contact_id = $1', [mergedId, survivorId]);
  // Runs move unless the survivor already has an active run of that program and key
  // (one active run per program, contact and key); such a run stays on the old contact.
  await tx.query(
    `UPDATE enrollments e SET contact_id = $2 WHERE e.contact_id = $1
       AND NOT (e.status = 'active' AND EXISTS (SELECT 1 FROM enrollments s WHERE s.contact_id = $2 AND s.program_id = e.program_id AND s.key = e.key AND s.status = 'active'))`,
    [mergedId, survivorId],
  );
  await tx.query('DELETE FROM date_schedule WHERE contact_id = $1', [mergedId]);
  // The visitor's purchases count for the survivor's RFM (recomputed by the tick now);
  // the visitor's segment memberships end with it (the survivor's are re-evaluated on
  // the tend.contacts_merged event).
  await tx.query('UPDATE rfm_purchases SET contact_id = $2 WHERE contact_id = $1', [mergedId, survivorId]);
  await tx.query('DELETE FROM rfm_due WHERE contact_id = $1', [mergedId]);
  await tx.query(
    `INSERT INTO rfm_due (contact_id, due_at) SELECT $1, now() WHERE EXISTS (SELECT 1 FROM rfm_purchases WHERE contact_id = $1)
     ON CONFLICT (contact_id) DO UPDATE SET due_at = now()`,
    [survivorId],
  );
  await tx.query('DELETE FROM segment_rechecks WHERE contact_id = $1', [mergedId]);
  await tx.query('DELETE FROM segment_members WHERE contact_id = $1', [mergedId]);
  return { eventsMoved: moved.rowCount ?? 0, identities: identities.rows };
}

/** The survivor's own values win; the merged contact's fill the gaps. */
export async function fillGaps(tx: Queryable, survivorId: string, attributes: Record<string, unknown>, tags: string[]): Promise<void> {
  await tx.query(
    `UPDATE contacts SET attributes = $2::jsonb || attributes, tags = ARRAY(SELECT DISTINCT unnest(tags || $3::text[])), updated_at = now() WHERE id = $1`,
    [survivorId, JSON.stringify(attributes), tags],
  );
}

/** The merged contact keeps its row, pointing at the survivor with no score; the merge is recorded. */
export async function recordMerge(tx: Queryable, mergedId: string, survivorId: string, reason: string, eventsMoved: number): Promise<void> {
  await tx.query('UPDATE contacts SET merged_into = $2, merged_at = now(), score = 0, updated_at = now() WHERE id = $1', [mergedId, survivorId]);
  await tx.query('INSERT INTO contact_merges (merged_id, survivor_id, reason, events_moved) VALUES ($1, $2, $3, $4)', [mergedId, survivorId, reason, eventsMoved]);
}
