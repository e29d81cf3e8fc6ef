// /api/events: events are stored (with their outbox row) before the response, then
// handed to the dispatcher. A client id makes a re-sent event a no-op.
import type { Router } from 'express';
import { router } from '../router.js';
import { Type, type Static } from '@sinclair/typebox';
import type { Db } from '../../engine/storage/db.js';
import { parseBody } from '../input.js';
import { ingest as storeEvents, type Accepted } from '../../engine/dispatch/ingest.js';
import { route } from '../problem.js';
import { ContactPatch, checkTimezone } from './contact-input.js';

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

export const EventBatch = Type.Object({ events: Type.Array(EventInput, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false });

export type { Accepted } from '../../engine/dispatch/ingest.js';

/** Stores events (see engine/dispatch/ingest.ts) after the checks a schema cannot make. */
export async function ingest(db: Db, inputs: EventInput[], pathOf: (i: number) => string): Promise<Accepted[]> {
  inputs.forEach((e, i) => checkTimezone(e.contact?.timezone, `${pathOf(i)}/contact/timezone`));
  return storeEvents(db, inputs, pathOf);
}

export function eventsRouter(db: Db, onStored: () => void): Router {
  const r = router();
  r.post('/', route(async (req, res) => {
    const input = parseBody(EventInput, req.body);
    const [accepted] = await ingest(db, [input], () => '');
    if (!accepted.duplicate) onStored();
    res.status(accepted.duplicate ? 200 : 202).json(accepted);
  }));
  r.post('/batch', route(async (req, res) => {
    const { events } = parseBody(EventBatch, req.body);
    const accepted = await ingest(db, events, (i) => `/events/${i}`);
    if (accepted.some((a) => !a.duplicate)) onStored();
    res.status(202).json({ events: accepted });
  }));
  return r;
}
