// What a client sends to create or change a contact: the contact named (by id, external
// id or email) and its fields. Shared by the single upsert, the batch and events that
// carry contact fields.
import { Type } from '@sinclair/typebox';
import { ATTRIBUTE_NAME_PATTERN } from '../../engine/plugin/field-names.js';
import { HttpProblem } from '../http-problem.js';
import { isTimeZone } from '../../engine/plugin/zoned-time.js';

export const ContactPatch = Type.Object(
  {
    phone: Type.Optional(Type.Union([Type.String({ pattern: '^\\+?[0-9 ()-]{3,30}$' }), Type.Null()])),
    timezone: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
    attributes: Type.Optional(Type.Record(Type.String({ pattern: ATTRIBUTE_NAME_PATTERN }), Type.Unknown(), { additionalProperties: false })),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 200, uniqueItems: true })),
    consent: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z_]{1,32}$' }), Type.Boolean(), { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const ContactUpsert = Type.Composite([
  Type.Object({
    contactId: Type.Optional(Type.String({ format: 'uuid' })),
    externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
  }),
  ContactPatch,
], { additionalProperties: false });

export function checkTimezone(tz: string | null | undefined, path: string): void {
  if (tz && !isTimeZone(tz)) throw new HttpProblem(422, 'Invalid request', [{ path, message: `"${tz}" is not an IANA time zone such as Europe/Berlin` }]);
}
