// A contacts row and the Contact it is shown as: a leaf of its own, so modules the
// contact writes call back into (date schedules) can read contacts without a loop.
import type { Contact } from '../plugin/index.js';

export interface ContactRow {
  id: string;
  external_id: string | null;
  email: string | null;
  phone: string | null;
  attributes: Record<string, unknown>;
  score: number;
  tags: string[];
  consent: Record<string, unknown>;
  unsubscribed_at: Date | null;
  timezone: string | null;
  created_at: Date;
  updated_at: Date;
  segments?: string[];
}

export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    externalId: row.external_id,
    email: row.email,
    phone: row.phone,
    attributes: row.attributes,
    score: row.score,
    tags: row.tags,
    consent: row.consent,
    unsubscribed: row.unsubscribed_at !== null,
    timezone: row.timezone,
    createdAt: row.created_at.toISOString(),
    ...(row.segments ? { segments: row.segments } : {}),
  };
}
