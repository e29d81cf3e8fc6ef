// The OpenAPI description of the HTTP API, built from the same TypeBox schemas that
// validate requests, so the two cannot drift apart. Every route the server answers is
// here (test/unit/openapi-routes.test.ts holds the two lists together), and
// schemathesis checks the server against it (test/integration/api-document.test.ts).
import { FlowDocument } from '../engine/flow/document.js';
import { EventInput, EventBatch } from './routes/events.js';
import { ContactPatch, ContactUpsert } from './routes/contact-input.js';
import { MessagingPolicy, MessagingPolicyInput } from '../engine/delivery/channel-policy.js';
import { ScoreCheckInput, ScoringRuleInput } from '../engine/audience/scoring.js';
import { TopicInput, TopicUpdate } from '../engine/audience/topics.js';
import { RfmSettings, RfmSettingsInput } from '../engine/audience/rfm.js';
import { StagesInput } from '../engine/audience/stages.js';
import { SiteKeyInput } from './routes/site-keys.js';
import { ApiKeyInput } from './routes/api-keys.js';
import { CollectInput } from './routes/collect.js';
import { PreviewRequest, TestSendRequest } from './routes/preview.js';
import { Rename } from './routes/flows.js';
import { FormInput } from '../engine/audience/forms.js';
import { ContentSlotInput } from '../engine/delivery/content-slots.js';
import { PopupInput } from '../engine/delivery/form-popups.js';
import { LandingPageInput, PreviewLinkRequest, SLUG, WinnerChoice } from '../engine/delivery/landing-pages.js';
import { CONTENT_KEY } from '../engine/delivery/content-slots.js';
import { SegmentInput, PreviewInput } from '../engine/audience/segments/store.js';
import { PredictiveSettings } from '../engine/audience/predictive.js';
import { FormSubmission } from './routes/form-pages.js';
import { AcceptInput, ForgotInput, InviteInput, ResetInput, SetupInput, SignInInput, UserUpdate } from './routes/people.js';
import { MAX_BATCH } from './routes/contacts-batch.js';
import { CommentInput } from './routes/comments.js';
import { MAX_QUERY_VALUE } from './input.js';
import { responseComponents, responseSchemas } from './openapi-responses.js';
/** Shared sub-schemas by their TypeBox `$id` (the condition language), kept once under components. */
const shared = new Map<string, unknown>();
/** No stored text may hold a NUL (PostgreSQL cannot): said on every free-text string of a request. */
const NO_NUL = '^[^\\u0000]*$';
/**
 * A TypeBox schema as plain JSON Schema for this document: a sub-schema with an `$id`
 * (the recursive Condition) becomes `#/components/schemas/<id>`, and its bare
 * `$ref: "Condition"` references point there, so every `$ref` resolves. Free-text
 * strings say they hold no NUL, as the server refuses one in any request.
 */
const plain = (s: unknown): unknown => {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (typeof o.$ref === 'string' && !o.$ref.includes('#')) return { ...o, $ref: `#/components/schemas/${o.$ref}` };
    if (typeof o.$id === 'string' && !o.$id.includes('/')) {
      const { $id, ...rest } = o;
      if (!shared.has($id)) { shared.set($id, null); shared.set($id, walk(rest)); }
      return { $ref: `#/components/schemas/${$id}` };
    }
    // A URL `$id` (the flow document's own) would make the `#/components/...` references
    // inside it resolve against that URL instead of this document.
    const out = Object.fromEntries(Object.entries(o).filter(([k, x]) => !(k === '$id' && typeof x === 'string')).map(([k, x]) => [k, walk(x)]));
    if (o.type === 'string' && o.pattern === undefined && o.format === undefined && o.enum === undefined && o.const === undefined) out.pattern = NO_NUL;
    return out;
  };
  return walk(JSON.parse(JSON.stringify(s)));
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
/** A request body: always required (every operation with one refuses a request without it). */
const body = (schema: unknown, example?: unknown) => ({ required: true, content: { 'application/json': { schema, ...(example === undefined ? {} : { example }) } } });
const problem = { description: 'Problem', content: { 'application/problem+json': { schema: ref('Problem') } } };
/** A JSON answer; its schema comes from ./openapi-responses.ts by operation, `{type: object}` until then. */
const ok = (description: string) => ({ description, ...json({ type: 'object' }) });
const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
const text = (description: string) => ({ description, content: { 'text/plain': { schema: { type: 'string' } } } });
const redirect = (description: string) => ({ description, headers: { Location: { schema: { type: 'string' } } } });
const uuid = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } });
const id = [uuid('id')];
const key = [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }];
const token = [{ name: 'token', in: 'path', required: true, schema: { type: 'string' }, description: 'The signed token from the email' }];
/** A query parameter; text holds no NUL and at most MAX_QUERY_VALUE characters (the server refuses others in any URL). */
const query = (name: string, schema: Record<string, unknown>, description?: string) => ({
  name, in: 'query', required: false, ...(description ? { description } : {}),
  schema: schema.type !== 'string' ? schema : { maxLength: MAX_QUERY_VALUE, ...schema, ...(schema.pattern || schema.enum ? {} : { pattern: NO_NUL }) },
});
const paging = (maxOffset = 10_000_000) => [query('limit', { type: 'integer', minimum: 1, maximum: 500 }), query('offset', { type: 'integer', minimum: 0, maximum: maxOffset })];
const VERSION = '[1-9][0-9]{0,5}|1000000';
const ifMatch = { name: 'If-Match', in: 'header', required: false, description: 'The draft revision the change was made from, e.g. "3" (the program\'s `revision`, also its ETag)', schema: { type: 'string', pattern: '^(W/)?"?[0-9]{1,9}"?$' } };
/** The editor's preview of a form's page: shown like any load, not counted as a view. */
const PREVIEW = query('preview', { type: 'string' }, 'Any value: the editor\'s preview, not counted as a view');
/** The signed-link pages answer 404 with a page, and take form posts from the page itself. */
const linkForm = (fields: Record<string, unknown>) => ({ content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties: fields } } } });

const EXAMPLE_EVENT = { type: 'order_placed', email: 'ada@example.com', properties: { total: 120, currency: 'EUR' }, clientId: 'order-1001' };
const EXAMPLE_CONTACT = { email: 'ada@example.com', attributes: { first_name: 'Ada', plan: 'pro' }, tags: ['vip'], timezone: 'Europe/London' };

export function openApiDocument() {
  const doc = {
    openapi: '3.1.0',
    info: { title: 'Tend API', version: '1', description: 'Programs (flow documents), events, contacts and stats. Authenticate with `Authorization: Bearer <API key>`; a read key may only read (and validate or preview), a write key may change everything but keys, an admin key may also manage API and site keys (403 names the scope needed). The public endpoints (`/t/collect`, `/f/…`, signed email links) take no API key.' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'tend_session', description: 'A signed-in person\'s session (POST /api/auth/sign-in); changes also need X-CSRF-Token' } },
      schemas: {
        FlowDocument: plain(FlowDocument),
        CatalogueField: { type: 'object', required: ['path', 'label', 'type', 'examples', 'count'], properties: { path: { type: 'string', example: 'contact.attributes.plan' }, label: { type: 'string', example: 'Plan' }, type: { type: 'string', enum: ['string', 'number', 'boolean', 'list', 'date', 'object'] }, examples: { type: 'array', items: {} }, count: { type: 'integer' } } },
        Event: plain(EventInput),
        ContactPatch: plain(ContactPatch),
        ContactUpsert: plain(ContactUpsert),
        Problem: {
          type: 'object',
          properties: { title: { type: 'string' }, status: { type: 'integer' }, requiredScope: { type: 'string', enum: ['read', 'write', 'admin'], description: 'On 403: the key scope the route needs' }, errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } } },
        },
        ...responseComponents,
      },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths: {
      '/api/openapi.json': { get: { security: [], summary: 'This document', responses: { 200: ok('The OpenAPI document') } } },
      '/api/node-types': { get: { summary: 'The node plugin catalogue with config JSON Schemas and ports', responses: { 200: ok('Node types') } } },
      '/api/flows/preview-email': { post: { summary: 'Render email templates for a sample contact (the editor\'s live preview)', requestBody: body(plain(PreviewRequest), { subject: 'Hi {{contact.attributes.first_name}}', html: '<p>Welcome, {{contact.attributes.first_name}}!</p>' }), responses: { 200: ok('{ problems (template errors, by field), subject, html, text, contact, event }'), 404: problem, 422: problem } } },
      '/api/flows/preview-email/send': { post: { summary: 'Send the preview\'s rendering to an address as a test ("[Test]" before the subject; no tracking, nothing recorded on the contact); 422 when a template does not render', requestBody: body(plain(TestSendRequest), { subject: 'Hi {{contact.attributes.first_name}}', html: '<p>Welcome!</p>', to: 'me@example.com' }), responses: { 200: ok('{ to, subject }'), 404: problem, 422: problem, 503: problem } } },
      '/api/catalogue': { get: { summary: 'Contact fields, attributes, event types and their properties seen in a sample of the stored data (type, examples, counts), and the segments: what the editor offers in its pickers', responses: { 200: { description: 'The catalogue', ...json({ type: 'object', required: ['sampled', 'contact', 'attributes', 'events', 'segments', 'stages'], properties: { sampled: { type: 'object', properties: { contacts: { type: 'integer' }, events: { type: 'integer' } } }, contact: { type: 'array', items: ref('CatalogueField') }, attributes: { type: 'array', items: ref('CatalogueField') }, events: { type: 'array', items: { type: 'object', required: ['type', 'count', 'contacts', 'properties'], properties: { type: { type: 'string' }, count: { type: 'integer' }, contacts: { type: 'integer' }, properties: { type: 'array', items: ref('CatalogueField') } } } }, segments: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, name: { type: 'string' } } } }, stages: { type: 'array', items: { type: 'string' }, description: 'The lifecycle stages, in order' } } }) } } } },
      '/api/dashboard': { get: { summary: 'The home screen: contacts (total, new in 7 days); per day (UTC) events received, emails sent, opened, clicked and unsubscribes; live programs with contacts inside, entered and goals reached; what is failing (failed sends and steps in 7 days by program, the dispatch backlog)', parameters: [query('days', { type: 'integer', minimum: 1, maximum: 90 }, 'Days of history (default 14)')], responses: { 200: ok('The dashboard') } } },
      '/api/messages': { get: { summary: 'Every message sent or tried (email, SMS, webhook), newest first: ?q= searches recipient and subject; ?status=, ?channel=, ?program= filter; ?before= (the `next` of the page before) pages', parameters: [query('q', { type: 'string' }), query('status', { type: 'string', enum: ['sending', 'sent', 'failed', 'skipped'] }), query('channel', { type: 'string' }), query('program', { type: 'string', format: 'uuid' }), query('before', { type: 'string', pattern: '^[A-Za-z0-9_-]{1,200}$' }, 'The `next` cursor of the page before'), query('limit', { type: 'integer', minimum: 1, maximum: 200 })], responses: { 200: ok('Messages'), 400: problem, 422: problem } } },
      '/api/templates': { get: { summary: 'Program templates bundled in examples/', responses: { 200: ok('{ templates: [{ file, name, description, nodes, document }] }') } } },
      // Any object: this operation exists to say what is wrong with a document.
      '/api/flows/validate': { post: { summary: 'Validate a flow document, which may be invalid: every problem with its JSON Pointer', requestBody: body({ type: 'object', description: 'A flow document (see FlowDocument), possibly invalid' }), responses: { 200: ok('{ valid, problems }'), 422: problem } } },
      '/api/flows': {
        get: { summary: 'List programs (?archived=true includes archived ones)', parameters: [query('archived', { type: 'string', enum: ['true', 'false'] })], responses: { 200: ok('Programs') } },
        post: { summary: 'Create a program from a flow document (saved as its draft)', requestBody: body(ref('FlowDocument')), responses: { 201: ok('Program'), 422: problem } },
      },
      '/api/flows/import': { post: { summary: 'Import a template (older node versions are migrated)', requestBody: body(ref('FlowDocument')), responses: { 201: ok('Program'), 422: problem } } },
      '/api/flows/{id}': {
        get: { summary: 'A program: draft, problems, versions', parameters: id, responses: { 200: ok('Program'), 404: problem } },
        put: { summary: 'Save the draft as the next revision; with If-Match: "<revision>", only if the draft is still at that revision (409 otherwise, with currentRevision)', parameters: [...id, ifMatch], requestBody: body(ref('FlowDocument')), responses: { 200: ok('Program'), 400: problem, 404: problem, 409: problem, 422: problem } },
        patch: { summary: 'Rename (If-Match as for PUT)', parameters: [...id, ifMatch], requestBody: body(plain(Rename), { name: 'Welcome series (2027)' }), responses: { 200: ok('Program'), 400: problem, 404: problem, 409: problem, 422: problem } },
      },
      '/api/flows/{id}/publish': { post: { summary: 'Publish the draft as a new immutable version (422 when the draft has problems, 409 when the program is archived)', parameters: id, responses: { 200: ok('{ version }'), 409: problem, 422: problem } } },
      '/api/flows/{id}/pause': { post: { summary: 'Stop new entries (409 for an archived program)', parameters: id, responses: { 200: ok('Program'), 409: problem } } },
      '/api/flows/{id}/resume': { post: { summary: 'Accept entries again (409 for an archived or never published program)', parameters: id, responses: { 200: ok('Program'), 409: problem } } },
      '/api/flows/{id}/archive': { post: { summary: 'Archive (409 when already archived)', parameters: id, responses: { 200: ok('Program'), 409: problem } } },
      '/api/flows/{id}/duplicate': { post: { summary: 'Copy the draft into a new program', parameters: id, responses: { 201: ok('Program') } } },
      '/api/flows/{id}/reach': { get: { summary: 'Distinct contacts with an event of the draft\'s trigger types in the last ?days= days (default 7): the publish summary\'s estimate', parameters: [...id, query('days', { type: 'integer', minimum: 1, maximum: 365 })], responses: { 200: { description: 'The estimate', ...json({ type: 'object', required: ['days', 'eventTypes', 'contacts', 'unestimatedTriggers'], properties: { days: { type: 'integer' }, eventTypes: { type: 'array', items: { type: 'string' } }, contacts: { type: ['integer', 'null'] }, unestimatedTriggers: { type: 'integer' } } }) }, 404: problem, 422: problem } } },
      '/api/flows/{id}/versions': { get: { summary: 'Published versions with contact counts', parameters: id, responses: { 200: ok('Versions') } } },
      '/api/flows/{id}/export': { get: { summary: 'The draft (or ?version=N|live) as a flow document file', parameters: [...id, query('version', { type: 'string', pattern: `^(draft|live|${VERSION})$` })], responses: { 200: { description: 'The flow document', ...json(ref('FlowDocument')) } } } },
      '/api/flows/{id}/stats': { get: { summary: 'Per-node and per-edge counts (of the live version, or ?version=N)', parameters: [...id, query('version', { type: 'string', pattern: `^(${VERSION})$` })], responses: { 200: ok('Stats') } } },
      '/api/flows/{id}/nodes/{node}/analytics': { get: { summary: 'One node\'s figures per day (UTC) over the last days: runs that entered it and ended there; for an email node messages sent, first opened, first clicked and the unsubscribes after it (credited to the contact\'s last email)', parameters: [...id, { name: 'node', in: 'path', required: true, schema: { type: 'string' } }, query('days', { type: 'integer', minimum: 1, maximum: 90 }, 'Days of history, today included (default 30)')], responses: { 200: ok('Per day'), 400: problem, 404: problem } } },
      '/api/flows/{id}/enrollments': { get: { summary: 'Contacts inside the program, optionally at ?node=', parameters: [...id, query('node', { type: 'string' }), ...paging()], responses: { 200: ok('Enrollments') } } },
      '/api/flows/{id}/comments': {
        get: { summary: 'Comments on the program and its nodes, oldest first (a reply names its thread), and the people who may be @mentioned', parameters: id, responses: { 200: ok('Comments'), 404: problem } },
        post: { summary: 'Comment on the program, on one of its draft\'s nodes (nodeId), or answer a thread (threadId); each person in `mentions` gets an email', parameters: id, requestBody: body(plain(CommentInput), { body: 'Grace, can you check the subject before we publish?', nodeId: 'welcome' }), responses: { 201: ok('The comment'), 404: problem, 422: problem } },
      },
      '/api/flows/{id}/comments/{commentId}': { delete: { summary: 'Delete a comment (its author, or an admin); it keeps its place in the thread without its words', parameters: [...id, uuid('commentId')], responses: { 204: { description: 'Deleted' }, 403: problem, 404: problem } } },
      '/api/flows/{id}/presence': {
        put: { summary: 'Say this editor has the program open (every 20 s while it does); the answer is who else has it open (seen in the last minute)', parameters: id, responses: { 200: ok('Who else'), 404: problem } },
        delete: { summary: 'Say this editor closed the program', parameters: id, responses: { 204: { description: 'Gone' }, 404: problem } },
      },
      '/api/flows/{id}/attribution': { get: { summary: 'A published program\'s conversions of its goal (settings.goal) within the attribution window after an entry or a message, revenue (settings.goalValue), credit by last and first touch per node and message, and the lift over its holdout with a 95% Newcombe interval and a two-proportion z-test; per day for the chart', parameters: [...id, query('days', { type: 'integer', minimum: 1, maximum: 365 }, 'Days of history (default 30)')], responses: { 200: ok('Conversions, revenue and lift'), 404: problem } } },
      '/api/flows/{id}/experiments/{node}': { get: { summary: 'An experiment node of the live version: each arm\'s contacts, goal conversions and the winner once decided', parameters: [...id, { name: 'node', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: ok('Experiment results') } } },
      '/api/events': { post: { summary: 'Store one event (durable before the response) and dispatch it', requestBody: body(ref('Event'), EXAMPLE_EVENT), responses: { 202: ok('Accepted'), 200: ok('Duplicate client id'), 404: problem, 422: problem } } },
      '/api/events/batch': { post: { summary: 'Store up to 1000 events in one transaction', requestBody: body(plain(EventBatch), { events: [EXAMPLE_EVENT] }), responses: { 202: ok('Accepted'), 404: problem, 422: problem } } },
      '/api/contacts': {
        get: {
          summary: 'Look up (?email=, ?externalId=) or search (?q= in email, external id and attributes), filtered by ?tag= and ?segment= (key or id); oldest first, paginated by ?after= (the `next` of the page before: fast at any depth) or ?offset=; `total` counts every match on a page asked for without ?after= and is null on the pages after it',
          parameters: [query('email', { type: 'string' }), query('externalId', { type: 'string' }), query('q', { type: 'string' }), query('tag', { type: 'string' }), query('segment', { type: 'string' }),
            query('after', { type: 'string', pattern: '^[A-Za-z0-9_-]{1,200}$' }, 'The `next` cursor of the page before'), ...paging()],
          responses: { 200: ok('Contacts'), 400: problem, 422: problem },
        },
        put: { summary: 'Create or update a contact, named by contactId, externalId or email (one of them is needed)', requestBody: body(ref('ContactUpsert'), EXAMPLE_CONTACT), responses: { 200: ok('Contact'), 201: ok('Created'), 404: problem, 409: problem, 422: problem } },
      },
      '/api/contacts/batch': { post: { summary: `Create or update up to ${MAX_BATCH} contacts in one transaction; each row is checked on its own and answered by position`, requestBody: body({ type: 'object', required: ['contacts'], additionalProperties: false, properties: { contacts: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: { type: 'object', description: 'A ContactUpsert; a row that is not one is rejected in the answer, by position, and the others are stored' } } } }, { contacts: [EXAMPLE_CONTACT] }), responses: { 200: ok('Results by position'), 422: problem } } },
      '/api/contacts/{id}': {
        get: { summary: 'A contact', parameters: id, responses: { 200: ok('Contact'), 404: problem } },
        delete: { summary: 'Erase a contact: runs ended and deleted in Temporal, every row naming them deleted, enrollments kept anonymised', parameters: id, responses: { 200: ok('{ erasureId, erasedAt, counts }'), 404: problem, 503: problem } },
      },
      '/api/contacts/{id}/erase': { post: { summary: 'Erase a contact (the same as DELETE /api/contacts/{id})', parameters: id, responses: { 200: ok('{ erasureId, erasedAt, counts }'), 404: problem, 503: problem } } },
      '/api/contacts/{id}/export': { get: { summary: 'Everything about a contact as one JSON document (tend.contact-export/v1)', parameters: id, responses: { 200: ok('{ contact, mergedContacts, identities, events, messages, enrollments (with visits), segments, scoreAwards, rfmPurchases, merges, dateSchedules }'), 404: problem } } },
      '/api/contacts/{id}/decaying-points': { get: { summary: 'Points awarded by scoring rules that decay will take back, soonest first (at most 200)', parameters: id, responses: { 200: ok('{ awards }'), 404: problem } } },
      '/api/contacts/{id}/timeline': { get: { summary: 'Events, node visits and messages in time order; `next` is the cursor for more (?after=)', parameters: [...id, query('limit', { type: 'integer', minimum: 1, maximum: 5000 }), query('after', { type: 'string', maxLength: 500 })], responses: { 200: ok('Timeline'), 422: problem } } },
      '/api/scoring-rules': {
        get: { summary: 'Lead-scoring rules in force', responses: { 200: ok('{ rules }') } },
        post: { summary: 'Add a rule: event type + condition → points, optional cap and decay', requestBody: body(plain(ScoringRuleInput), { name: 'Pricing page', eventType: 'page_view', points: 5 }), responses: { 201: ok('ScoringRule'), 422: problem } },
      },
      '/api/scoring-rules/{id}': {
        get: { summary: 'A rule in force (404 once deleted)', parameters: id, responses: { 200: ok('ScoringRule'), 404: problem } },
        put: { summary: 'Replace a rule', parameters: id, requestBody: body(plain(ScoringRuleInput)), responses: { 200: ok('ScoringRule'), 404: problem, 422: problem } },
        delete: { summary: 'Delete a rule: it awards no more points; past awards keep their reason', parameters: id, responses: { 204: { description: 'Deleted' }, 404: problem } },
      },
      '/api/scoring-rules/check': { post: { summary: 'What a contact\'s score would be after an event, were it to happen now: each rule in force for that event type with its points or why none; nothing is written', requestBody: body(plain(ScoreCheckInput), { email: 'ada@example.com', eventType: 'page_view', properties: { path: '/pricing' } }), responses: { 200: ok('ScoreCheck'), 404: problem, 422: problem } } },
      '/api/stages': {
        get: { summary: 'The lifecycle stages, first to last', responses: { 200: ok('{ stages }') } },
        put: { summary: 'Replace the lifecycle stages (their order is the funnel\'s)', requestBody: body(plain(StagesInput), { stages: ['subscriber', 'lead', 'MQL', 'SQL', 'customer'] }), responses: { 200: ok('{ stages }'), 422: problem } },
      },
      '/api/stages/funnel': { get: { summary: 'Contacts at each stage now, and at it or a later one (the funnel)', responses: { 200: ok('{ stages, elsewhere, none }') } } },
      '/api/segments': {
        get: { summary: 'Segments with their member counts', responses: { 200: ok('{ segments }') } },
        post: { summary: 'Add a segment: a condition over contacts, kept up to date as they change', requestBody: body(plain(SegmentInput)), responses: { 201: ok('Segment'), 409: problem, 422: problem } },
      },
      '/api/segments/preview': { post: { summary: 'How many contacts a condition matches now, and a sample of them', requestBody: body(plain(PreviewInput)), responses: { 200: ok('{ count, sample }'), 422: problem } } },
      '/api/segments/{id}': {
        get: { summary: 'A segment (by id or key)', parameters: key.map((k) => ({ ...k, name: 'id' })), responses: { 200: ok('Segment'), 404: problem } },
        put: { summary: 'Replace a segment', parameters: key.map((k) => ({ ...k, name: 'id' })), requestBody: body(plain(SegmentInput)), responses: { 200: ok('Segment'), 404: problem, 409: problem, 422: problem } },
        delete: { summary: 'Delete a segment', parameters: key.map((k) => ({ ...k, name: 'id' })), responses: { 204: { description: 'Deleted' }, 404: problem } },
      },
      '/api/segments/{id}/members': { get: { summary: 'The segment\'s members, paginated', parameters: [...key.map((k) => ({ ...k, name: 'id' })), ...paging(1_000_000)], responses: { 200: ok('{ segment, count, contacts }'), 404: problem } } },
      '/api/segments/{id}/sizes': { get: { summary: 'The segment\'s member count per day (UTC), noted hourly and after each change, oldest first; days without a note are left out', parameters: [...key.map((k) => ({ ...k, name: 'id' })), query('days', { type: 'integer', minimum: 1, maximum: 366 })], responses: { 200: ok('{ segment, days, sizes }'), 400: problem, 404: problem } } },
      '/api/segments/{id}/used-by': { get: { summary: 'The programs whose draft or live version names the segment (a trigger on entering or leaving it, a condition on membership), with the nodes', parameters: key.map((k) => ({ ...k, name: 'id' })), responses: { 200: ok('{ segment, programs }'), 404: problem } } },
      '/api/predictive-score': {
        get: { summary: 'The predictive lead score: its settings and the model in use', responses: { 200: ok('{ settings, model }') } },
        put: { summary: 'Replace the predictive score settings', requestBody: body(plain(PredictiveSettings)), responses: { 200: ok('{ settings, model }'), 422: problem } },
      },
      '/api/predictive-score/train': { post: { summary: 'Train the model now (422 when there are too few converted and unconverted leads)', responses: { 200: ok('The model'), 422: problem } } },
      '/api/messaging-policy': {
        get: { summary: 'Consent model per channel, frequency caps, quiet hours', responses: { 200: { description: 'The policy', ...json(plain(MessagingPolicy)) } } },
        put: { summary: 'Replace the messaging policy (parts left out take their defaults)', requestBody: body(plain(MessagingPolicyInput)), responses: { 200: { description: 'The policy', ...json(plain(MessagingPolicy)) }, 422: problem } },
      },
      '/api/topics': {
        get: { summary: 'Subscription topics (?archived=true includes archived ones; ?optOuts=true adds how many contacts left each)', parameters: [query('archived', { type: 'string', enum: ['true', 'false'] }), query('optOuts', { type: 'string', enum: ['true', 'false'] })], responses: { 200: ok('{ topics }'), 400: problem } },
        post: { summary: 'Add a topic that email nodes may name and contacts may leave on the preference page', requestBody: body(plain(TopicInput), { key: 'product-news', name: 'Product news' }), responses: { 201: ok('Topic'), 409: problem, 422: problem } },
      },
      '/api/page-views': { get: { summary: 'The newest page views from the tracking snippet, newest first: when, the page without its query, the contact or anonymous visitor', parameters: [query('limit', { type: 'integer', minimum: 1, maximum: 100 })], responses: { 200: ok('{ pageViews }'), 400: problem } } },
      '/api/email-design': { get: { summary: 'The sender address, the layouts an email node may choose and the other partials, with their Handlebars source and where each comes from (built in, or the templates folder)', responses: { 200: ok('{ sender, layouts, partials }') } } },
      '/api/preference-page/preview': { get: { summary: 'The hosted preference page as a subscriber with no choices made sees it, with this Tend\'s topics, as HTML to show in a sandboxed frame', responses: { 200: ok('{ html }') } } },
      '/api/topics/{key}': {
        get: { summary: 'A topic (404 once archived; GET /api/topics?archived=true lists those)', parameters: key, responses: { 200: ok('Topic'), 404: problem } },
        put: { summary: 'Rename or describe a topic', parameters: key, requestBody: body(plain(TopicUpdate)), responses: { 200: ok('Topic'), 404: problem, 422: problem } },
        delete: { summary: 'Archive a topic: it leaves the preference page and the API (404 after); opt-outs keep holding; its key stays taken', parameters: key, responses: { 204: { description: 'Archived' }, 404: problem } },
      },
      '/api/rfm-settings': {
        get: { summary: 'RFM: the purchase event, its value property, the window and the score boundaries', responses: { 200: { description: 'The settings', ...json(plain(RfmSettings)) } } },
        put: { summary: 'Replace the RFM settings (parts left out take their defaults); purchasers are re-scored', requestBody: body(plain(RfmSettingsInput)), responses: { 200: { description: 'The settings', ...json(plain(RfmSettings)) }, 422: problem } },
      },
      '/api/site-keys': {
        get: { summary: 'Site keys of tracking snippets (prefixes only)', responses: { 200: ok('{ siteKeys }') } },
        post: { summary: 'Create a site key; the whole key is in this response only', requestBody: body(plain(SiteKeyInput), { name: 'www.example.com', domains: ['www.example.com'] }), responses: { 201: ok('SiteKey with key'), 422: problem } },
      },
      '/api/site-keys/{id}': { delete: { summary: 'Revoke a site key', parameters: id, responses: { 200: ok('SiteKey'), 404: problem } } },
      '/api/keys': {
        get: { summary: 'API keys (prefixes only); admin scope', responses: { 200: ok('{ keys }'), 403: problem } },
        post: { summary: 'Create an API key with scope read, write or admin; the whole key is in this response only', requestBody: body(plain(ApiKeyInput), { name: 'ci', scope: 'read' }), responses: { 201: ok('ApiKey with key'), 403: problem, 422: problem } },
      },
      '/api/secrets': { get: { summary: 'The state of the signing secret of links (when last rotated, whether links signed before still work), never its value; admin', responses: { 200: ok('{ signing }'), 403: problem } } },
      '/api/keys/{id}': { delete: { summary: 'Revoke an API key', parameters: id, responses: { 200: ok('ApiKey'), 403: problem, 404: problem } } },
      '/api/forms': {
        get: { summary: 'Forms in use', responses: { 200: ok('{ forms }') } },
        post: { summary: 'Create a form', requestBody: body(plain(FormInput), { name: 'Newsletter', fields: [{ name: 'email', label: 'Email', type: 'email', required: true }] }), responses: { 201: ok('Form'), 422: problem } },
      },
      '/api/forms/{id}': {
        get: { summary: 'A form in use (404 once archived)', parameters: id, responses: { 200: ok('Form'), 404: problem } },
        put: { summary: 'Replace a form', parameters: id, requestBody: body(plain(FormInput)), responses: { 200: ok('Form'), 404: problem, 422: problem } },
        delete: { summary: 'Archive a form: its pages answer 404; submissions keep their events', parameters: id, responses: { 204: { description: 'Archived' }, 404: problem } },
      },
      '/api/forms/{id}/submissions': { get: { summary: 'A form\'s submissions (its form_submitted events), newest first, each with the contact, the answers and the hidden fields; ?after= (the `next` of the page before) pages', parameters: [...id, query('after', { type: 'string', pattern: '^[A-Za-z0-9_-]{1,200}$' }, 'The `next` cursor of the page before'), query('limit', { type: 'integer', minimum: 1, maximum: 200 })], responses: { 200: ok('Submissions'), 400: problem, 404: problem, 422: problem } } },
      '/api/forms/{id}/stats': { get: { summary: 'A form\'s views (loads of its hosted page and embed), submissions and conversion rate over the last days, and both per day (UTC)', parameters: [...id, query('days', { type: 'integer', minimum: 1, maximum: 90 }, 'Days of history, today included (default 30)')], responses: { 200: ok('Views and submissions'), 400: problem, 404: problem } } },
      '/api/forms/{id}/popup': {
        get: { summary: 'How t.js shows the form by itself on the site: { popup }, null when it does not (404: no such form)', parameters: id, responses: { 200: ok('{ popup }'), 404: problem } },
        put: { summary: 'Show the form as a modal or slide-in on exit intent, scroll depth, time on page or the N-th page view, to chosen segments (none: everyone), left alone in a browser for N days after a close or a submit; pages see it within 10 seconds', parameters: id, requestBody: body(plain(PopupInput), { style: 'slide-in', trigger: 'scroll', threshold: 50, hideDaysAfterClose: 7, hideDaysAfterSubmit: 365, segments: [], pages: '/blog/*', active: true }), responses: { 200: ok('{ popup }'), 404: problem, 422: problem } },
        delete: { summary: 'Stop showing the form as a pop-up', parameters: id, responses: { 204: { description: 'Removed' }, 404: problem } },
      },
      '/api/content-slots': {
        get: { summary: 'The website\'s content slots in use, each with its default and variants', responses: { 200: ok('{ contentSlots }') } },
        post: { summary: 'Create a content slot: what <div data-tend-slot="key"> on a page with the snippet shows, by the first variant whose condition holds for the visitor; variant HTML is cleaned to the allowed elements', requestBody: body(plain(ContentSlotInput), { key: 'hero', name: 'Home page hero', defaultHtml: '<h2>Welcome</h2>', variants: [{ key: 'vip', name: 'VIPs', html: '<h2>Welcome back</h2><a href="https://example.com/offer" data-tend-cta="vip-offer">Your offer</a>', condition: { field: 'contact.segments', op: 'contains', value: 'vip' } }] }), responses: { 201: ok('ContentSlot'), 409: problem, 422: problem } },
      },
      '/api/content-slots/{id}': {
        get: { summary: 'A content slot in use (404 once archived)', parameters: id, responses: { 200: ok('ContentSlot'), 404: problem } },
        put: { summary: 'Replace a content slot (pages see it within 10 seconds)', parameters: id, requestBody: body(plain(ContentSlotInput)), responses: { 200: ok('ContentSlot'), 404: problem, 409: problem, 422: problem } },
        delete: { summary: 'Archive a content slot: pages keep their own content; its events keep naming it', parameters: id, responses: { 204: { description: 'Archived' }, 404: problem } },
      },
      '/api/content-slots/{id}/stats': { get: { summary: 'A content slot\'s impressions (content_shown) and clicks (content_clicked) per variant over the last days', parameters: [...id, query('days', { type: 'integer', minimum: 1, maximum: 90 }, 'Days of history (default 30)')], responses: { 200: ok('Per variant'), 400: problem, 404: problem } } },
      '/api/landing-pages': {
        get: { summary: 'The landing pages not archived, each with its variants, goal and test settings', responses: { 200: ok('{ landingPages }') } },
        post: { summary: 'Create a landing page (a draft): blocks per variant (heading, text, image, form, cta), each variant\'s weight in the split, the goal (a form of the page submitted, or an event, within N days of a view), the confidence and minimum sample of the A/B test', requestBody: body(plain(LandingPageInput), { slug: 'spring-webinar', name: 'Spring webinar', variants: [{ key: 'short', name: 'Short form', weight: 1, blocks: [{ type: 'heading', text: 'Join the spring webinar', level: 1 }, { type: 'text', text: 'Forty minutes on lead scoring.' }, { type: 'cta', label: 'Save my seat', url: 'https://www.example.com/register' }] }, { key: 'story', name: 'With a story', weight: 1, blocks: [{ type: 'heading', text: 'How Acme doubled its demos', level: 1 }, { type: 'image', url: 'https://www.example.com/chart.png', alt: 'Demos per week' }, { type: 'cta', label: 'Read the story', url: 'https://www.example.com/story' }] }], goal: { kind: 'event', eventType: 'webinar_registered', withinDays: 7 }, confidence: 0.95, minSample: 200 }), responses: { 201: ok('LandingPage'), 409: problem, 422: problem } },
      },
      '/api/landing-pages/{id}': {
        get: { summary: 'A landing page (archived ones too), with its status and, once decided, the winner', parameters: id, responses: { 200: ok('LandingPage'), 404: problem } },
        put: { summary: 'Replace a landing page (not an archived one); a published page shows the change on its next view', parameters: id, requestBody: body(plain(LandingPageInput)), responses: { 200: ok('LandingPage'), 404: problem, 409: problem, 422: problem } },
      },
      '/api/landing-pages/{id}/publish': { post: { summary: 'Publish a landing page: served at /p/{slug} from now on, its A/B test running', parameters: id, responses: { 200: ok('LandingPage'), 404: problem, 409: problem } } },
      '/api/landing-pages/{id}/archive': { post: { summary: 'Archive a landing page: /p/{slug} answers 404 and the slug is free again; its events keep naming it', parameters: id, responses: { 200: ok('LandingPage'), 404: problem, 409: problem } } },
      '/api/landing-pages/{id}/winner': { post: { summary: 'Stop a landing page\'s A/B test by hand: the variant every visitor sees from now on, stored with who chose it (decidedBy), when, and the test\'s figures and p-value of that moment. 409 when a winner is chosen already (by the test or by hand) or the page is archived', parameters: id, requestBody: body(plain(WinnerChoice), { variant: 'story' }), responses: { 200: ok('LandingPage'), 400: problem, 404: problem, 409: problem, 422: problem } } },
      '/api/landing-pages/{id}/preview': { get: { summary: 'An editor\'s preview of a landing page\'s variant (a draft too; the first variant unless named): its HTML as a new visitor would see it, with a banner, buttons linking straight to their address and forms that cannot be sent. Records no view and sets no cookie', parameters: [...id, query('variant', { type: 'string', pattern: CONTENT_KEY }, 'A variant key; default the first variant')], responses: { 200: ok('{ variant, html }'), 400: problem, 404: problem } } },
      '/api/landing-pages/{id}/preview-link': { post: { summary: 'A preview link of a landing page (a draft too) at its own address: /p/{slug}?preview=<token>, the token signed with the server\'s secret and valid for an hour. The link needs no session; it shows the variant (default the first) under a "Preview — not published" bar, records nothing, sets no cookie, answers Cache-Control: no-store and X-Robots-Tag: noindex; an expired or forged token answers 404 like an unknown page', parameters: id, requestBody: body(plain(PreviewLinkRequest), { variant: 'story' }), responses: { 201: ok('{ url, expiresAt }'), 400: problem, 404: problem, 409: problem, 422: problem } } },
      '/api/landing-pages/{id}/results': { get: { summary: 'A landing page\'s A/B results: per variant the visitors who saw it while the test ran, those who converted and the rate; the two-proportion z-test\'s p-value; and the decision. A winner the test supports is recorded here if no page view recorded it first', parameters: id, responses: { 200: ok('Results'), 404: problem } } },
      '/p/{slug}/cta': { get: { security: [], summary: 'Public: a landing page button\'s link. Records a landing_page_cta_clicked event (pageId, slug, variant, block, ctaId when the button has an id, url, split) for the visitor (the tend_vid cookie, set when missing; on a page that requires consent, nothing is recorded and no cookie set until the visitor accepts) and redirects to the address stored in that button of that published page; nothing in the request names the target. A HEAD records nothing', parameters: [{ name: 'slug', in: 'path', required: true, schema: { type: 'string', pattern: SLUG } }, { ...query('variant', { type: 'string', pattern: CONTENT_KEY }, 'The key of the variant the visitor was shown'), required: true }, { ...query('block', { type: 'integer', minimum: 0, maximum: 29 }, 'The button\'s place among the variant\'s blocks, from 0'), required: true }], responses: { 302: redirect('To the button\'s address'), 400: problem, 404: problem, 429: problem } } },
      '/p/{slug}': {
        get: { security: [], summary: 'Public: a published landing page, its variant chosen per browser (the tend_vid cookie, set when missing) until a winner is decided; each load is a landing_page_viewed event on the visitor\'s timeline. On a page that requires consent (requireConsent) and a visitor who has not accepted (the tend_consent cookie), no cookie is set, nothing is recorded and the variant is drawn for that load only; one who has not answered sees a consent bar posting to this address. A browser that declined (tend_consent=no) is tracked on no page, asking or not. With ?preview=<token> (POST /api/landing-pages/{id}/preview-link): the page\'s draft or variant, recording nothing, with Cache-Control: no-store and X-Robots-Tag: noindex; 404 for an expired or forged token', parameters: [{ name: 'slug', in: 'path', required: true, schema: { type: 'string', pattern: SLUG } }, query('preview', { type: 'string', pattern: '^[0-9a-f-]{36}\\.[a-z0-9_-]{0,63}\\.[0-9]{1,12}\\.[A-Za-z0-9_-]{32}$' }, 'A preview link\'s signed token')], responses: { 200: html('The page'), 404: html('No published page has this slug, or the preview token is expired or forged'), 429: problem } },
        post: { security: [], summary: 'Public: the answer to a landing page\'s consent bar, from the page itself only (Sec-Fetch-Site same-origin, or an Origin of this host; 403 otherwise). accept sets tend_vid (an id the split keeps on the variant shown) and tend_consent=yes and records the view of that variant; decline sets only tend_consent=no (strictly necessary: the bar is not shown again) and records nothing. Answers the page in that variant, without the bar. 409 when the page does not ask for consent', parameters: [{ name: 'slug', in: 'path', required: true, schema: { type: 'string', pattern: SLUG } }], requestBody: { required: true, ...linkForm({ consent: { type: 'string', enum: ['accept', 'decline'] }, variant: { type: 'string', pattern: CONTENT_KEY, description: 'The key of the variant the visitor was shown' } }) }, responses: { 200: html('The page, in the variant shown'), 400: problem, 403: problem, 404: problem, 409: problem, 413: problem, 415: problem, 422: problem, 429: problem } },
      },
      '/t/content': { get: { security: [], summary: 'Public, CORS-open: the variant each asked content slot shows this visitor (t.js asks it for the page\'s data-tend-slot elements) and, with popups=true, the pop-up forms they may see (chosen by their segments), authorised by a site key; nothing is written', parameters: [{ ...query('key', { type: 'string', pattern: '^pk_[A-Za-z0-9_-]{20,64}$' }, 'The site key'), required: true }, query('vid', { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' }, 'The visitor id from the tracking cookie; absent: an unknown visitor'), query('slots', { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,62}(,[a-z0-9][a-z0-9_-]{0,62}){0,19}$' }, 'Slot keys, comma-separated (at most 20); required unless popups=true'), query('popups', { type: 'string', enum: ['true', 'false'] }, 'true: also the pop-up forms this visitor may see')], responses: { 200: ok('{ slots }'), 401: problem, 422: problem, 429: problem } } },
      '/t/collect': { post: { security: [], summary: 'Public, CORS-open: tracking events and identify from t.js, authorised by a site key (text/plain JSON, at most 16 kB)', requestBody: body(plain(CollectInput)), responses: { 202: ok('{ accepted }'), 400: problem, 401: problem, 413: problem, 415: problem, 422: problem, 429: problem } } },
      '/t.js': { get: { security: [], summary: 'Public: the tracking script a site includes', responses: { 200: { description: 'JavaScript', content: { 'application/javascript': { schema: { type: 'string' } } } } } } },
      '/f/{id}': { get: { security: [], summary: 'Public: the hosted page of a form (progressive profiling by ?vid=); each load counts as a view of the form', parameters: [...id, query('vid', { type: 'string' }), PREVIEW], responses: { 200: html('The form'), 404: html('No such form'), 429: problem } } },
      '/f/{id}/embed': { get: { security: [], summary: 'Public: the fields to show (progressive profiling by ?vid=); each load counts as a view of the form', parameters: [...id, query('vid', { type: 'string' }), PREVIEW], responses: { 200: ok('{ id, name, fields, hidden, submitLabel }'), 404: problem, 429: problem } } },
      '/f/{id}/submit': { post: { security: [], summary: 'Public: submit a form (form-encoded from the hosted page, or JSON {values, hidden, shown, anonymousId, page, honeypot} from the embed; a filled honeypot is thanked and stores nothing)', parameters: id, requestBody: { required: true, content: { 'application/json': { schema: FormSubmission, example: { values: { email: 'ada@example.com' } } }, 'application/x-www-form-urlencoded': { schema: { type: 'object', description: 'Field name → answer, plus _vid, _shown, _page and the honeypot _comment' } } } }, responses: { 200: ok('{ message, redirect }'), 303: redirect('Redirect after a hosted-page submit'), 400: problem, 404: problem, 413: problem, 415: problem, 422: { description: 'Answers missing or wrong: the problems (JSON), or the hosted page again with a message under each field (form-encoded)', content: { ...problem.content, 'text/html': { schema: { type: 'string' } } } }, 429: problem } } },
      '/o/{token}': { get: { security: [], summary: 'Public: the open-tracking pixel of an email (always the pixel; a valid token records the first open)', parameters: token, responses: { 200: { description: 'A 1×1 GIF', content: { 'image/gif': { schema: { type: 'string', format: 'binary' } } } }, 429: problem } } },
      '/c/{token}': { get: { security: [], summary: 'Public: a tracked link of an email: records the click and redirects to the link', parameters: token, responses: { 302: redirect('To the link'), 404: text('Not a link Tend signed'), 429: problem } } },
      '/unsubscribe/{token}': {
        get: { security: [], summary: 'Public: the unsubscribe link of an email; leads to the preference page', parameters: token, responses: { 303: redirect('To /preferences/{token}'), 404: html('Not a link Tend signed'), 429: problem } },
        post: { security: [], summary: 'Public: unsubscribe from all marketing email (RFC 8058 one-click with List-Unsubscribe=One-Click)', parameters: token, requestBody: linkForm({ 'List-Unsubscribe': { type: 'string', enum: ['One-Click'] } }), responses: { 200: { description: 'Unsubscribed: a page, or for one-click the text "unsubscribed"', content: { 'text/html': { schema: { type: 'string' } }, 'text/plain': { schema: { type: 'string' } } } }, 404: html('Not a link Tend signed'), 413: problem, 429: problem } },
      },
      '/confirm/{token}': {
        get: { security: [], summary: 'Public: the confirmation link of a double opt-in form\'s email: a page with the button that confirms (opening the link changes nothing)', parameters: token, responses: { 200: html('The page'), 404: html('Not a link Tend signed'), 429: problem } },
        post: { security: [], summary: 'Public: confirm: email consent given (and unsubscribed-from-all undone), `email_confirmed` recorded', parameters: token, responses: { 200: html('Subscribed'), 404: html('Not a link Tend signed'), 413: problem, 429: problem } },
      },
      '/preferences/{token}': {
        get: { security: [], summary: 'Public: the preference page (topics, unsubscribe from all, subscribe again)', parameters: [...token, query('saved', { type: 'string' })], responses: { 200: html('The page'), 404: html('Not a link Tend signed'), 429: problem } },
        post: { security: [], summary: 'Public: save the page\'s choices (action topics, unsubscribe or resubscribe)', parameters: token, requestBody: linkForm({ action: { type: 'string', enum: ['topics', 'unsubscribe', 'resubscribe'] }, topic: { type: 'array', items: { type: 'string' } }, shown: { type: 'array', items: { type: 'string' } }, 'List-Unsubscribe': { type: 'string', enum: ['One-Click'] } }), responses: { 200: { description: 'Done: a page, or for one-click the text "unsubscribed"', content: { 'text/html': { schema: { type: 'string' } }, 'text/plain': { schema: { type: 'string' } } } }, 303: redirect('Back to the page, saved'), 400: { description: 'An action the page does not have (a page), or a malformed request', content: { ...problem.content, 'text/html': { schema: { type: 'string' } } } }, 404: html('Not a link Tend signed'), 413: problem, 429: problem } },
      },
      '/api/auth/setup': { post: { security: [], summary: 'Create the owner\'s account with the one-time link `tend start` printed on a new Tend; signs them in (session cookie)', requestBody: body(plain(SetupInput)), responses: { 201: ok('Signed in'), 404: problem, 422: problem, 429: problem } } },
      '/api/auth/sign-in': { post: { security: [], summary: 'Sign in with email and password: sets the session cookie (HttpOnly, SameSite=Lax) and returns the CSRF token to send with changes. Five wrong passwords in a row lock the account for a minute, doubling up to an hour (429)', requestBody: body(plain(SignInInput), { email: 'ada@example.com', password: 'correct horse battery staple' }), responses: { 200: ok('Signed in'), 401: problem, 422: problem, 429: problem } } },
      '/api/auth/accept-invitation': { post: { security: [], summary: 'Create your account from an invitation\'s link (once, within 7 days); signs you in', requestBody: body(plain(AcceptInput)), responses: { 201: ok('Signed in'), 404: problem, 409: problem, 422: problem, 429: problem } } },
      '/api/auth/session': { get: { security: [], summary: 'Who is signed in in this browser (user null: nobody), and the CSRF token of the session', responses: { 200: ok('The session'), 429: problem } } },
      '/api/auth/sign-out': { post: { security: [], summary: 'End this browser\'s session, if any (the cookie is cleared)', responses: { 204: { description: 'Signed out' }, 429: problem } } },
      '/api/auth/sign-out-everywhere': { post: { security: [{ session: [] }], summary: 'End every session of the signed-in person', responses: { 200: ok('Sessions ended'), 401: problem, 429: problem } } },
      '/api/auth/forgot-password': { post: { security: [], summary: 'Email a password-reset link (once, within an hour) to this address if it has an account with a password; the answer is the same either way', requestBody: body(plain(ForgotInput), { email: 'ada@example.com' }), responses: { 202: ok('The same message whether or not there is an account'), 422: problem, 429: problem } } },
      '/api/auth/reset-password': { post: { security: [], summary: 'Set a new password with a reset link\'s token; every session of the account ends, and this browser is signed in', requestBody: body(plain(ResetInput)), responses: { 200: ok('Signed in'), 404: problem, 422: problem, 429: problem } } },
      '/api/auth/providers': { get: { security: [], summary: 'Whether single sign-on is set up (TEND_OIDC_*), and the provider\'s name for the sign-in button', responses: { 200: ok('Providers'), 429: problem } } },
      '/api/auth/oidc/start': { get: { security: [], summary: 'Single sign-on: to the provider (authorization code flow with PKCE, state and nonce)', responses: { 302: redirect('To the provider'), 404: problem, 429: problem, 503: problem } } },
      '/api/auth/oidc/callback': { get: { security: [], summary: 'Single sign-on: back from the provider; signs the person in with the role their claim maps to (TEND_OIDC_ROLE_CLAIM, TEND_OIDC_ROLES) and goes to the editor, or to the sign-in page with ?sso-error=', parameters: [query('code', { type: 'string' }), query('state', { type: 'string' })], responses: { 302: redirect('To the editor, signed in, or to the sign-in page with the reason'), 404: problem, 429: problem, 503: problem } } },
      '/api/users': { get: { summary: 'The people with an account, and the invitations (admin)', responses: { 200: ok('People') } } },
      '/api/users/invitations': { post: { summary: 'Invite a person by email with a role (admin, marketer or viewer); the link is emailed and works once for 7 days', requestBody: body(plain(InviteInput), { email: 'grace@example.com', role: 'marketer' }), responses: { 201: ok('The invitation'), 409: problem, 422: problem } } },
      '/api/users/{id}': { patch: { summary: 'Change a person\'s role or switch their account off (their sessions end); never the owner\'s, never your own', parameters: id, requestBody: body(plain(UserUpdate), { role: 'viewer' }), responses: { 200: ok('The person'), 404: problem, 409: problem, 422: problem } } },
      '/api/users/{id}/sign-out': { post: { summary: 'End every session of a person', parameters: id, responses: { 200: ok('Sessions ended'), 404: problem } } },
      '/api/audit-log': { get: { summary: 'Who changed what, when and from where, newest first (admin); filter by ?actor=, ?action=, ?target= (an id); ?before= pages back', parameters: [query('actor', { type: 'string' }), query('action', { type: 'string' }), query('target', { type: 'string' }), query('before', { type: 'string' }), query('limit', { type: 'integer', minimum: 1, maximum: 500 })], responses: { 200: ok('Entries') } } },
      '/healthz': { get: { security: [], summary: 'Liveness: the process answers', responses: { 200: ok('{ ok: true }') } } },
      '/readyz': { get: { security: [], summary: 'Readiness: the database and Temporal answer (503 with what failed otherwise)', responses: { 200: ok('Readiness'), 503: ok('Readiness, not ready') } } },
      '/metrics': { get: { summary: 'Prometheus metrics; an admin API key or TEND_METRICS_TOKEN', responses: { 200: text('Prometheus text format'), 401: problem } } },
      '/schemas/tend.flow.v1.json': { get: { security: [], summary: 'The JSON Schema of a flow document (for editors and templates)', responses: { 200: ok('JSON Schema') } } },
    },
  };
  const paths = doc.paths as Record<string, Record<string, { responses: Record<string, unknown>; parameters?: unknown[] }>>;
  for (const [route, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      // The real body schemas, by operation (./openapi-responses.ts).
      for (const [status, schema] of Object.entries(responseSchemas[`${method.toUpperCase()} ${route}`] ?? {})) {
        const described = op.responses[status] as { description?: string } | undefined;
        op.responses[status] = { description: described?.description ?? 'OK', ...json(schema) };
      }
      // Any URL holding a NUL (%00) is refused with 400 before it reaches a route.
      op.responses['400'] ??= problem;
      // Statuses every API operation can answer, whatever it does, each with problem+json:
      // 400 malformed JSON, 401 no or unknown key, 403 a scope too small, 413 a body over
      // its limit, 415 an encoding the server does not take, 503 the database
      // unreachable; and 404 where the path names something.
      if (!route.startsWith('/api/') || route === '/api/openapi.json') continue;
      for (const status of ['400', '401', '403', '413', '415', '503', ...(route.includes('{') ? ['404'] : [])]) op.responses[status] ??= problem;
    }
  }
  // The shared sub-schemas the `plain` calls above met (Condition), once each.
  for (const [name, schema] of shared) (doc.components.schemas as Record<string, unknown>)[name] = schema;
  return doc;
}
