// POST /t/collect: where the tracking script (t.js) sends page views, time on page, CTA
// clicks, custom events and identify calls. Public and cross-origin (the script runs on
// the customer's site), authorised by a site key that can write nothing else. Bodies
// come as text/plain JSON (what navigator.sendBeacon sends without a CORS preflight),
// are small, checked field by field, and stored whole or not at all.
import type { Router } from 'express';
import { router } from '../router.js';
import { Type, type Static } from '@sinclair/typebox';
import { ATTRIBUTE_NAME_PATTERN } from '../../engine/plugin/field-names.js';
import type { Db } from '../../engine/storage/db.js';
import { transaction } from '../../engine/storage/db.js';
import { HttpProblem } from '../http-problem.js';
import { ingestIn } from '../../engine/dispatch/ingest.js';
import { ANONYMOUS_ID_PATTERN, identify, visitorContact } from '../../engine/audience/identity.js';
import { SITE_KEY_PATTERN, noteSiteKeySeen, verifySiteKey } from '../../engine/access/site-keys.js';
import { pageAddress } from '../../engine/storage/page-views.js';
import { verifyVisitToken } from '../../engine/delivery/engagement.js';
import { updateContactFields } from '../../engine/storage/contacts.js';
import { browserWrite, currentAttributes, isVerifiedVisitor } from '../../engine/audience/browser-trust.js';
import { parseBody } from '../input.js';
import { route } from '../problem.js';
import { openCors, smallJson } from '../public-input.js';

const Text = Type.String({ maxLength: 2000 });
const Scalar = Type.Union([Text, Type.Number(), Type.Boolean(), Type.Null()]);

// No null: a browser may add to what Tend knows about a contact, never erase it.
export const Attributes = Type.Record(Type.String({ pattern: ATTRIBUTE_NAME_PATTERN }), Type.Union([Text, Type.Number(), Type.Boolean()]), { maxProperties: 50, additionalProperties: false });

const TrackedEvent = Type.Object(
  {
    type: Type.String({ pattern: '^(?!tend\\.)[A-Za-z0-9_.:-]{1,100}$', description: 'Event type; the prefix "tend." is reserved' }),
    properties: Type.Optional(Type.Record(Type.String({ pattern: '^(?!(__proto__|constructor|prototype)$)[A-Za-z0-9_$-]{1,64}$' }), Scalar, { maxProperties: 50, additionalProperties: false })),
    clientId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_:-]{8,100}$', description: 'The script’s id for this event: a re-sent event is stored once' })),
  },
  { additionalProperties: false },
);

export const CollectInput = Type.Object(
  {
    key: Type.String({ pattern: SITE_KEY_PATTERN, description: 'The site key (pk_…)' }),
    anonymousId: Type.String({ pattern: ANONYMOUS_ID_PATTERN, description: 'The visitor id from the first-party cookie' }),
    events: Type.Optional(Type.Array(TrackedEvent, { minItems: 1, maxItems: 25 })),
    identify: Type.Optional(Type.Object({ email: Type.String({ format: 'email', maxLength: 320 }), attributes: Type.Optional(Attributes) }, { additionalProperties: false })),
    contactToken: Type.Optional(Type.String({ maxLength: 200, description: 'The tend_c parameter of a link clicked in an email: identifies the visitor' })),
  },
  { additionalProperties: false },
);
type CollectInput = Static<typeof CollectInput>;

/** Properties the script's own event types must carry, so programs can rely on them. */
const REQUIRED: Record<string, Record<string, 'string' | 'number'>> = {
  page_view: { url: 'string', path: 'string' },
  page_left: { path: 'string', seconds: 'number' },
  cta_clicked: { name: 'string' },
  // Website content (engine/delivery/content-slots.ts): which slot showed which variant, and clicks in it.
  content_shown: { slot: 'string', variant: 'string' },
  content_clicked: { slot: 'string', variant: 'string' },
  // Pop-up forms (engine/delivery/form-popups.ts): shown, and closed without a submit.
  popup_shown: { formId: 'string' },
  popup_closed: { formId: 'string' },
};

function checkKnownTypes(input: CollectInput): void {
  const problems = (input.events ?? []).flatMap((e, i) =>
    Object.entries(REQUIRED[e.type] ?? {})
      .filter(([name, kind]) => typeof e.properties?.[name] !== kind)
      .map(([name, kind]) => ({ path: `/events/${i}/properties/${name}`, message: `a ${e.type} event needs ${name} (a ${kind})` })),
  );
  if (!input.events && !input.identify && !input.contactToken) problems.push({ path: '/events', message: 'send events, identify, or both' });
  if (problems.length) throw new HttpProblem(422, 'Invalid request', problems);
}

export function collectRouter(db: Db, secret: string, onStored: () => void): Router {
  const r = router();
  r.use('/t/collect', openCors);
  r.post('/t/collect', ...smallJson('16kb'), route(async (req, res) => {
    const input = parseBody(CollectInput, req.body);
    checkKnownTypes(input);
    const siteKeyId = await verifySiteKey(db, input.key);
    if (!siteKeyId) throw new HttpProblem(401, 'Unknown site key', [{ path: '/key', message: 'this site key does not exist or was revoked' }]);
    const clicked = input.contactToken ? verifyVisitToken(secret, input.contactToken) : undefined;
    if (input.contactToken && !clicked) throw new HttpProblem(422, 'Invalid request', [{ path: '/contactToken', message: 'not signed by Tend, or older than 10 minutes' }]);
    const stored = await transaction(db, async (tx) => {
      // Identified now (an email click, identify) or still anonymous; either way the
      // contact is locked until commit, so a merge cannot move these events away.
      let contactId = clicked ? (await identify(tx, { contactId: clicked, anonymousId: input.anonymousId, reason: 'email click' })).contactId : undefined;
      if (input.identify) {
        contactId = (await identify(tx, { email: input.identify.email, anonymousId: input.anonymousId, reason: 'identify' })).contactId;
        // A browser's claim: it fills what is empty, and changes more only once a signed link proved it (engine/audience/browser-trust.ts).
        if (input.identify.attributes) {
          const verified = Boolean(clicked) || await isVerifiedVisitor(tx, input.anonymousId, contactId);
          const { allowed, refused } = browserWrite(input.identify.attributes, await currentAttributes(tx, contactId), verified);
          const context = { by: 'website identify', ...(Object.keys(refused).length ? { refused } : {}) };
          if (Object.keys(allowed).length) await updateContactFields(tx, contactId, { attributes: allowed }, context);
        }
      }
      contactId ??= await visitorContact(tx, input.anonymousId);
      const events = (input.events ?? []).map((e) => ({
        type: e.type,
        contactId,
        properties: e.properties ?? {},
        // Namespaced per site key, so a page cannot collide with the API's client ids.
        clientId: e.clientId ? `web:${siteKeyId}:${e.clientId}` : undefined,
      }));
      return events.length ? ingestIn(tx, events, (i) => `/events/${i}`, 'web') : [];
    }, { deadlockRetries: 3 });
    if (stored.some((a) => !a.duplicate) || input.identify || clicked) onStored();
    const view = input.events?.find((e) => e.type === 'page_view')?.properties?.url;
    // The page's address without its query (which may carry a visitor's details).
    if (typeof view === 'string') await noteSiteKeySeen(db, siteKeyId, pageAddress(view));
    // Nothing about the contact goes back: a site key reads nothing.
    res.status(202).json({ accepted: stored.length });
  }));
  return r;
}
