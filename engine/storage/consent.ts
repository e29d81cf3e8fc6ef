// A contact's email consent as they change it themselves: all marketing off or back on,
// topics on or off. Each returns the changed row (undefined: no such contact, or, for an
// unsubscribe, one unsubscribed already).
import type { Queryable } from './db.js';
import type { ContactRow } from './contact-row.js';

export async function markUnsubscribed(tx: Queryable, contactId: string): Promise<ContactRow | undefined> {
  const { rows } = await tx.query<ContactRow>('UPDATE contacts SET unsubscribed_at = now(), updated_at = now() WHERE id = $1 AND unsubscribed_at IS NULL RETURNING *', [contactId]);
  return rows[0];
}

/** Subscribed again; an email consent of `false` becomes `true`, do-not-contact stays. */
export async function markResubscribed(tx: Queryable, contactId: string): Promise<ContactRow | undefined> {
  const { rows } = await tx.query<ContactRow>(
    `UPDATE contacts SET unsubscribed_at = NULL,
       consent = CASE WHEN consent->'email' = 'false'::jsonb THEN consent || '{"email": true}'::jsonb ELSE consent END,
       updated_at = now()
     WHERE id = $1 RETURNING *`,
    [contactId],
  );
  return rows[0];
}

/** The given topics set on or off, other topics left as they are. */
export async function setTopicConsent(tx: Queryable, contactId: string, choices: Record<string, boolean>): Promise<ContactRow | undefined> {
  const { rows } = await tx.query<ContactRow>(
    `UPDATE contacts SET
       consent = jsonb_set(consent, '{topics}', COALESCE(CASE WHEN jsonb_typeof(consent->'topics') = 'object' THEN consent->'topics' END, '{}'::jsonb) || $2::jsonb),
       updated_at = now()
     WHERE id = $1 RETURNING *`,
    [contactId, JSON.stringify(choices)],
  );
  return rows[0];
}
