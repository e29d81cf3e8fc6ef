// Who a website visitor is. An anonymous visitor is a contact without email, found by
// the anonymous id in the tracking cookie (`contact_identities`). When the visitor
// identifies (identify call, form submit), the anonymous contact is merged into the
// known one: its history moves over, and its old id keeps pointing at the survivor.
import type pg from 'pg';
import type { Queryable } from '../storage/db.js';
import { appendEvent } from '../storage/events.js';
import { normaliseEmail, resolveContact } from '../storage/contacts.js';
import { changeScore } from './scoring.js';

export const ANONYMOUS = 'anonymous';
/** The visitor id t.js keeps in its cookie (a UUID, or hex where randomUUID is missing). */
export const ANONYMOUS_ID_PATTERN = '^[A-Za-z0-9_-]{8,64}$';
export const CONTACTS_MERGED = 'tend.contacts_merged';

/**
 * Takes the locks every change to a contact's identity takes, in id order so two
 * merges touching the same contacts cannot deadlock. `score:` is the scoring lock
 * (engine/audience/scoring.ts): a merge moves score awards.
 */
async function lockContacts(tx: pg.PoolClient, ids: string[]): Promise<void> {
  for (const id of [...new Set(ids)].sort()) {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`contact:${id}`]);
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`score:${id}`]);
  }
}

/** The contact a merged contact ended up in (itself when not merged). */
async function survivorOf(tx: pg.PoolClient, id: string): Promise<string> {
  for (let hops = 0; hops < 20; hops++) {
    const { rows } = await tx.query<{ merged_into: string | null }>('SELECT merged_into FROM contacts WHERE id = $1', [id]);
    if (!rows[0]?.merged_into) return id;
    id = rows[0].merged_into;
  }
  throw new Error(`contact merge chain from ${id} is too long`);
}

/** The contact of an anonymous visitor id (created without email on the first hit unless `create` is false), before any lock. */
async function visitorOf(tx: pg.PoolClient, anonymousId: string, create = true): Promise<string | undefined> {
  let { rows } = await tx.query<{ contact_id: string }>('SELECT contact_id FROM contact_identities WHERE kind = $1 AND value = $2', [ANONYMOUS, anonymousId]);
  if (!rows[0] && !create) return undefined;
  if (!rows[0]) {
    const created = await tx.query<{ id: string }>('INSERT INTO contacts DEFAULT VALUES RETURNING id');
    ({ rows } = await tx.query<{ contact_id: string }>(
      `INSERT INTO contact_identities (kind, value, contact_id) VALUES ($1, $2, $3)
       ON CONFLICT (kind, value) DO UPDATE SET kind = EXCLUDED.kind RETURNING contact_id`,
      [ANONYMOUS, anonymousId, created.rows[0]!.id],
    ));
    // A concurrent first hit won: drop the contact made for nothing.
    if (rows[0]!.contact_id !== created.rows[0]!.id) await tx.query('DELETE FROM contacts WHERE id = $1', [created.rows[0]!.id]);
  }
  return survivorOf(tx, rows[0]!.contact_id);
}

/**
 * The contact of an anonymous visitor id, created (without email) on the first hit,
 * or the contact it was merged into. Returns with that contact locked for the rest of
 * the transaction, so a merge cannot move its history from under the caller.
 */
export async function visitorContact(tx: pg.PoolClient, anonymousId: string): Promise<string> {
  for (;;) {
    const id = (await visitorOf(tx, anonymousId))!;
    await lockContacts(tx, [id]);
    // Merged while we waited for the lock: follow it.
    if ((await visitorOf(tx, anonymousId)) === id) return id;
  }
}

export interface MergeResult {
  survivorId: string;
  mergedId: string;
  eventsMoved: number;
}

/**
 * Merges contact `mergedId` into `survivorId` inside the caller's transaction: events
 * (occurred_at untouched, so the timeline keeps its order), identities, score and its
 * awards, messages and enrollments move; attributes the survivor lacks are copied;
 * the merge is a `contact_merges` row and a `tend.contacts_merged` event on the
 * survivor; the merged contact keeps its row with `merged_into` set.
 *
 *   await mergeContacts(tx, anonymousId, knownId, 'identify')
 */
export async function mergeContacts(tx: pg.PoolClient, mergedId: string, survivorId: string, reason: string): Promise<MergeResult | undefined> {
  await lockContacts(tx, [mergedId, survivorId]);
  mergedId = await survivorOf(tx, mergedId);
  survivorId = await survivorOf(tx, survivorId);
  if (mergedId === survivorId) return undefined;
  const loser = (await tx.query<{ score: number; attributes: Record<string, unknown>; tags: string[] }>('SELECT score, attributes, tags FROM contacts WHERE id = $1 FOR UPDATE', [mergedId])).rows[0]!;
  await tx.query('SELECT 1 FROM contacts WHERE id = $1 FOR UPDATE', [survivorId]);

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
  // The survivor's own values win; the visitor's fill the gaps.
  await tx.query(
    `UPDATE contacts SET attributes = $2::jsonb || attributes, tags = ARRAY(SELECT DISTINCT unnest(tags || $3::text[])), updated_at = now() WHERE id = $1`,
    [survivorId, JSON.stringify(loser.attributes), loser.tags],
  );
  // The visitor's points come along as a score change with its reason, so the score
  // history explains the jump and threshold triggers see it.
  if (loser.score !== 0) await changeScore(tx, survivorId, loser.score, 'merged', { mergedContactId: mergedId });
  await tx.query('UPDATE contacts SET merged_into = $2, merged_at = now(), score = 0, updated_at = now() WHERE id = $1', [mergedId, survivorId]);
  const eventsMoved = moved.rowCount ?? 0;
  await tx.query('INSERT INTO contact_merges (merged_id, survivor_id, reason, events_moved) VALUES ($1, $2, $3, $4)', [mergedId, survivorId, reason, eventsMoved]);
  await appendEvent(tx, {
    contactId: survivorId,
    type: CONTACTS_MERGED,
    source: 'tend',
    dispatch: true,
    properties: { mergedContactId: mergedId, reason, eventsMoved, identities: identities.rows, scoreMoved: loser.score },
  });
  return { survivorId, mergedId, eventsMoved };
}

export interface Identification {
  /** Who the visitor says they are (identify, a form)… */
  email?: string;
  /** …or who a signed link says they are (a click from an email). */
  contactId?: string;
  anonymousId?: string;
  reason: string;
}

/**
 * A visitor is identified: finds (or, by email, creates) the known contact and merges
 * the visitor's anonymous contact into it. An anonymous id whose contact is already
 * known under another email (a shared computer) is moved to the new contact without
 * history: two known people are never merged from a browser's say-so.
 */
/** `existed`: a contact had the email (or the id) before this call. */
export async function identify(tx: pg.PoolClient, who: Identification): Promise<{ contactId: string; existed: boolean; merge?: MergeResult }> {
  const email = who.email ? normaliseEmail(who.email) : undefined;
  // Two identifies of one new email or one browser would each insert what the other
  // waits for (the email's contact, the browser's identity) and deadlock: they take
  // turns instead, on locks of their own key space (class 7), before any contact lock.
  for (const key of [email && `email:${email}`, who.anonymousId && `visitor:${who.anonymousId}`].filter((k): k is string => Boolean(k)).sort()) {
    await tx.query('SELECT pg_advisory_xact_lock(7, hashtext($1))', [key]);
  }
  const knownId = async () => (email ? (await tx.query<{ id: string }>('SELECT id FROM contacts WHERE email = $1', [email])).rows[0]?.id : await survivorOf(tx, who.contactId!));
  // Locks first (advisory, in id order), row locks after: the order every writer keeps.
  for (;;) {
    const known = await knownId();
    const visitor = who.anonymousId ? await visitorOf(tx, who.anonymousId, false) : undefined;
    await lockContacts(tx, [known, visitor].filter((x): x is string => Boolean(x)));
    if ((await knownId()) !== known || (who.anonymousId && (await visitorOf(tx, who.anonymousId, false)) !== visitor)) continue;
    const contactId = email ? (await resolveContact(tx, { email })).contact.id : known!;
    const existed = Boolean(known);
    // A signed link proves the browser is this contact's; an email typed into a page does not.
    const signed = Boolean(who.contactId);
    const verify = async () => {
      if (signed && who.anonymousId) await tx.query('UPDATE contact_identities SET verified_at = now() WHERE kind = $1 AND value = $2', [ANONYMOUS, who.anonymousId]);
    };
    if (who.anonymousId && !visitor) {
      // A browser never seen before has no history to merge: it simply names this contact.
      const linked = await tx.query('INSERT INTO contact_identities (kind, value, contact_id, verified_at) VALUES ($1, $2, $3, CASE WHEN $4::boolean THEN now() END) ON CONFLICT DO NOTHING', [ANONYMOUS, who.anonymousId, contactId, signed]);
      if (linked.rowCount) return { contactId, existed };
      continue; // its first hit was being stored meanwhile: merge that
    }
    if (!visitor || visitor === contactId) {
      await verify();
      return { contactId, existed };
    }
    const { rows } = await tx.query<{ email: string | null; external_id: string | null }>('SELECT email, external_id FROM contacts WHERE id = $1', [visitor]);
    if (rows[0]!.email || rows[0]!.external_id) {
      // Another person's browser: whatever it proved before, it proved for them.
      await tx.query('UPDATE contact_identities SET contact_id = $3, verified_at = CASE WHEN $4::boolean THEN now() END WHERE kind = $1 AND value = $2', [ANONYMOUS, who.anonymousId, contactId, signed]);
      return { contactId, existed };
    }
    const merge = await mergeContacts(tx, visitor, contactId, who.reason);
    await verify();
    return { contactId, existed, merge };
  }
}

/** The contact an anonymous id names today (following merges), without creating one: for reads such as prefilling a form. */
export async function knownVisitor(db: Queryable, anonymousId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `WITH RECURSIVE chain AS (
       SELECT c.id, c.merged_into, 0 AS hops FROM contact_identities i JOIN contacts c ON c.id = i.contact_id WHERE i.kind = $1 AND i.value = $2
       UNION ALL SELECT c.id, c.merged_into, chain.hops + 1 FROM chain JOIN contacts c ON c.id = chain.merged_into WHERE chain.hops < 20
     ) SELECT id FROM chain WHERE merged_into IS NULL LIMIT 1`,
    [ANONYMOUS, anonymousId],
  );
  return rows[0]?.id;
}
