// /api/events: events are stored (with their outbox row) before the response, then
// handed to the dispatcher. A client id makes a re-sent event a no-op.
import { Router } from 'express';
import { Type, type Static } from '@sinclair/typebox';
import type { Db } from '../../engine/storage/db.js';
import { transaction } from '../../engine/storage/db.js';
import { resolveContact, updateContactFields } from '../../engine/storage/contacts.js';
import { appendEvent, findByClientId } from '../../engine/storage/events.js';
import { parseBody } from '../input.js';
import { route } from '../problem.js';
import { ContactPatch, checkTimezone } from './contacts.js';

export const EventInput = Type.Object(
  {
    type: Type.String({ pattern: '^(?!tend\\.)[A-Za-z0-9_.:-]{1,100}$', description: 'Event type; the prefix "tend." is reserved' }),
    contactId: Type.Optional(Type.String({ format: 'uuid' })),
    externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
    properties: Type.Optional(Type.Record(Type.String({ maxLength: 200 }), Type.Unknown())),
    clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Your id for this event; the same id is accepted once' })),
    occurredAt: Type.Optional(Type.String({ format: 'date-time' })),
    contact: Type.Optional(ContactPatch),
  },
  { additionalProperties: false },
);
type EventInput = Static<typeof EventInput>;

const Batch = Type.Object({ events: Type.Array(EventInput, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false });

export interface Accepted {
  id: string;
  contactId: string;
  duplicate: boolean;
}

export async function ingest(db: Db, inputs: EventInput[], pathOf: (i: number) => string): Promise<Accepted[]> {
  inputs.forEach((e, i) => checkTimezone(e.contact?.timezone, `${pathOf(i)}/contact/timezone`));
  return transaction(db, async (tx) => {
    const out: Accepted[] = [];
    for (const [i, e] of inputs.entries()) {
      const seen = e.clientId ? await findByClientId(tx, e.clientId) : undefined;
      if (seen) {
        out.push({ id: seen.id, contactId: seen.contact_id, duplicate: true });
        continue;
      }
      const { contact } = await resolveContact(tx, { contactId: e.contactId, externalId: e.externalId, email: e.email }, pathOf(i));
      if (e.contact) await updateContactFields(tx, contact.id, e.contact);
      const row = await appendEvent(tx, { contactId: contact.id, type: e.type, properties: e.properties, clientId: e.clientId, occurredAt: e.occurredAt });
      if (row) out.push({ id: row.id, contactId: contact.id, duplicate: false });
      else {
        const again = (await findByClientId(tx, e.clientId!))!;
        out.push({ id: again.id, contactId: again.contact_id, duplicate: true });
      }
    }
    return out;
  });
}

export function eventsRouter(db: Db, onStored: () => void): Router {
  const r = Router();
  r.post('/', route(async (req, res) => {
    const input = parseBody(EventInput, req.body);
    const [accepted] = await ingest(db, [input], () => '');
    if (!accepted.duplicate) onStored();
    res.status(accepted.duplicate ? 200 : 202).json(accepted);
  }));
  r.post('/batch', route(async (req, res) => {
    const { events } = parseBody(Batch, req.body);
    const accepted = await ingest(db, events, (i) => `/events/${i}`);
    if (accepted.some((a) => !a.duplicate)) onStored();
    res.status(202).json({ events: accepted });
  }));
  return r;
}
