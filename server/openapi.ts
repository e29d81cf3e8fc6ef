// The OpenAPI description of the HTTP API, built from the same TypeBox schemas that
// validate requests, so the two cannot drift apart.
import { FlowDocument } from '../engine/flow/document.js';
import { EventInput } from './routes/events.js';
import { ContactPatch } from './routes/contacts.js';
import { MessagingPolicy, MessagingPolicyInput } from '../engine/channel-policy.js';
import { ScoringRuleInput } from '../engine/scoring.js';
import { TopicInput, TopicUpdate } from '../engine/topics.js';
import { RfmSettings, RfmSettingsInput } from '../engine/rfm.js';
import { SiteKeyInput } from './routes/site-keys.js';
import { ApiKeyInput } from './routes/api-keys.js';
import { CollectInput } from './routes/collect.js';
import { FormInput } from '../engine/forms.js';

/** Shared sub-schemas by their TypeBox `$id` (the condition language), kept once under components. */
const shared = new Map<string, unknown>();
/**
 * A TypeBox schema as plain JSON Schema for this document: a sub-schema with an `$id`
 * (the recursive Condition) becomes `#/components/schemas/<id>`, and its bare
 * `$ref: "Condition"` references point there, so every `$ref` resolves.
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
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
  };
  return walk(JSON.parse(JSON.stringify(s)));
};
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const problem = { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
const ok = (description: string) => ({ description, ...json({ type: 'object' }) });
const id = [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }];
const ifMatch = { name: 'If-Match', in: 'header', required: false, description: 'The draft revision the change was made from, e.g. "3" (the program\'s `revision`, also its ETag)', schema: { type: 'string' } };

export function openApiDocument() {
  const doc = {
    openapi: '3.1.0',
    info: { title: 'Tend API', version: '1', description: 'Programs (flow documents), events, contacts and stats. Authenticate with `Authorization: Bearer <API key>`; a read key may only read (and validate or preview), a write key may change everything but keys, an admin key may also manage API and site keys (403 names the scope needed).' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        FlowDocument: plain(FlowDocument),
        CatalogueField: { type: 'object', required: ['path', 'label', 'type', 'examples', 'count'], properties: { path: { type: 'string', example: 'contact.attributes.plan' }, label: { type: 'string', example: 'Plan' }, type: { type: 'string', enum: ['string', 'number', 'boolean', 'list', 'date', 'object'] }, examples: { type: 'array', items: {} }, count: { type: 'integer' } } },
        Event: plain(EventInput),
        ContactPatch: plain(ContactPatch),
        Problem: {
          type: 'object',
          properties: { title: { type: 'string' }, status: { type: 'integer' }, requiredScope: { type: 'string', enum: ['read', 'write', 'admin'], description: 'On 403: the key scope the route needs' }, errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } } },
        },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/api/node-types': { get: { summary: 'The node plugin catalogue with config JSON Schemas and ports', responses: { 200: ok('Node types') } } },
      '/api/flows/preview-email': { post: { summary: 'Render email templates for a sample contact (the editor\'s live preview)', requestBody: json({ type: 'object', required: ['subject', 'html'], properties: { subject: { type: 'string' }, html: { type: 'string' }, text: { type: 'string' }, layout: { type: 'string' }, contactId: { type: 'string', format: 'uuid' }, eventType: { type: 'string' }, event: { type: 'object' }, programName: { type: 'string' } } }), responses: { 200: ok('{ problems (template errors, by field), subject, html, text, contact, event }'), 404: problem, 422: problem } } },
      '/api/catalogue': { get: { summary: 'Contact fields, attributes, event types and their properties seen in a sample of the stored data (type, examples, counts), and the segments: what the editor offers in its pickers', responses: { 200: { description: 'The catalogue', ...json({ type: 'object', required: ['sampled', 'contact', 'attributes', 'events', 'segments'], properties: { sampled: { type: 'object', properties: { contacts: { type: 'integer' }, events: { type: 'integer' } } }, contact: { type: 'array', items: { $ref: '#/components/schemas/CatalogueField' } }, attributes: { type: 'array', items: { $ref: '#/components/schemas/CatalogueField' } }, events: { type: 'array', items: { type: 'object', required: ['type', 'count', 'contacts', 'properties'], properties: { type: { type: 'string' }, count: { type: 'integer' }, contacts: { type: 'integer' }, properties: { type: 'array', items: { $ref: '#/components/schemas/CatalogueField' } } } } }, segments: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, name: { type: 'string' } } } } } }) } } } },
      '/api/templates': { get: { summary: 'Program templates bundled in examples/', responses: { 200: ok('{ templates: [{ file, name, description, nodes, document }] }') } } },
      '/api/flows/validate': { post: { summary: 'Validate a flow document; every problem with its JSON Pointer', requestBody: json({ $ref: '#/components/schemas/FlowDocument' }), responses: { 200: ok('{ valid, problems }') } } },
      '/api/flows': {
        get: { summary: 'List programs', responses: { 200: ok('Programs') } },
        post: { summary: 'Create a program from a flow document (saved as its draft)', requestBody: json({ $ref: '#/components/schemas/FlowDocument' }), responses: { 201: ok('Program'), 422: problem } },
      },
      '/api/flows/import': { post: { summary: 'Import a template (older node versions are migrated)', requestBody: json({ $ref: '#/components/schemas/FlowDocument' }), responses: { 201: ok('Program'), 422: problem } } },
      '/api/flows/{id}': {
        get: { summary: 'A program: draft, problems, versions', parameters: id, responses: { 200: ok('Program'), 404: problem } },
        put: { summary: 'Save the draft as the next revision; with If-Match: "<revision>", only if the draft is still at that revision (409 otherwise, with currentRevision)', parameters: [...id, ifMatch], requestBody: json({ $ref: '#/components/schemas/FlowDocument' }), responses: { 200: ok('Program'), 400: problem, 404: problem, 409: problem, 422: problem } },
        patch: { summary: 'Rename (If-Match as for PUT)', parameters: [...id, ifMatch], responses: { 200: ok('Program'), 400: problem, 404: problem, 409: problem, 422: problem } },
      },
      '/api/flows/{id}/publish': { post: { summary: 'Publish the draft as a new immutable version', parameters: id, responses: { 200: ok('{ version }'), 422: problem } } },
      '/api/flows/{id}/pause': { post: { summary: 'Stop new entries', parameters: id, responses: { 200: ok('Program') } } },
      '/api/flows/{id}/resume': { post: { summary: 'Accept entries again', parameters: id, responses: { 200: ok('Program') } } },
      '/api/flows/{id}/archive': { post: { summary: 'Archive', parameters: id, responses: { 200: ok('Program') } } },
      '/api/flows/{id}/duplicate': { post: { summary: 'Copy the draft into a new program', parameters: id, responses: { 201: ok('Program') } } },
      '/api/flows/{id}/reach': { get: { summary: 'Distinct contacts with an event of the draft\'s trigger types in the last ?days= days (default 7): the publish summary\'s estimate', parameters: [...id, { name: 'days', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 365 } }], responses: { 200: { description: 'The estimate', ...json({ type: 'object', required: ['days', 'eventTypes', 'contacts', 'unestimatedTriggers'], properties: { days: { type: 'integer' }, eventTypes: { type: 'array', items: { type: 'string' } }, contacts: { type: ['integer', 'null'] }, unestimatedTriggers: { type: 'integer' } } }) }, 404: problem, 422: problem } } },
      '/api/flows/{id}/versions': { get: { summary: 'Published versions with contact counts', parameters: id, responses: { 200: ok('Versions') } } },
      '/api/flows/{id}/export': { get: { summary: 'The draft (or ?version=N|live) as a flow document file', parameters: id, responses: { 200: json({ $ref: '#/components/schemas/FlowDocument' }) } } },
      '/api/flows/{id}/stats': { get: { summary: 'Per-node and per-edge counts', parameters: id, responses: { 200: ok('Stats') } } },
      '/api/flows/{id}/enrollments': { get: { summary: 'Contacts inside the program, optionally at ?node=', parameters: id, responses: { 200: ok('Enrollments') } } },
      '/api/events': { post: { summary: 'Store one event (durable before the response) and dispatch it', requestBody: json({ $ref: '#/components/schemas/Event' }), responses: { 202: ok('Accepted'), 200: ok('Duplicate client id'), 422: problem } } },
      '/api/events/batch': { post: { summary: 'Store up to 1000 events in one transaction', requestBody: json({ type: 'object', properties: { events: { type: 'array', items: { $ref: '#/components/schemas/Event' } } } }), responses: { 202: ok('Accepted'), 422: problem } } },
      '/api/contacts': {
        get: { summary: 'Look up (?email=, ?externalId=) or search (?q=), paginated', responses: { 200: ok('Contacts') } },
        put: { summary: 'Create or update a contact', requestBody: json({ $ref: '#/components/schemas/ContactPatch' }), responses: { 200: ok('Contact'), 201: ok('Created'), 422: problem } },
      },
      '/api/contacts/{id}': {
        get: { summary: 'A contact', parameters: id, responses: { 200: ok('Contact'), 404: problem } },
        delete: { summary: 'Erase a contact: runs ended and deleted in Temporal, every row naming them deleted, enrollments kept anonymised', parameters: id, responses: { 200: ok('{ erasureId, erasedAt, counts }'), 404: problem, 503: problem } },
      },
      '/api/contacts/{id}/erase': { post: { summary: 'Erase a contact (the same as DELETE /api/contacts/{id})', parameters: id, responses: { 200: ok('{ erasureId, erasedAt, counts }'), 404: problem, 503: problem } } },
      '/api/contacts/{id}/export': { get: { summary: 'Everything about a contact as one JSON document (tend.contact-export/v1)', parameters: id, responses: { 200: ok('{ contact, mergedContacts, identities, events, messages, enrollments (with visits), segments, scoreAwards, rfmPurchases, merges, dateSchedules }'), 404: problem } } },
      '/api/contacts/{id}/timeline': { get: { summary: 'Events, node visits and messages in time order', parameters: id, responses: { 200: ok('Timeline') } } },
      '/api/scoring-rules': {
        get: { summary: 'Lead-scoring rules', responses: { 200: ok('{ rules }') } },
        post: { summary: 'Add a rule: event type + condition → points, optional cap and decay', requestBody: json(plain(ScoringRuleInput)), responses: { 201: ok('ScoringRule'), 422: problem } },
      },
      '/api/scoring-rules/{id}': {
        get: { summary: 'A rule', parameters: id, responses: { 200: ok('ScoringRule'), 404: problem } },
        put: { summary: 'Replace a rule', parameters: id, requestBody: json(plain(ScoringRuleInput)), responses: { 200: ok('ScoringRule'), 422: problem } },
        delete: { summary: 'Switch a rule off (its past awards keep their reason)', parameters: id, responses: { 204: { description: 'Switched off' } } },
      },
      '/api/messaging-policy': {
        get: { summary: 'Consent model per channel, frequency caps, quiet hours', responses: { 200: json(plain(MessagingPolicy)) } },
        put: { summary: 'Replace the messaging policy (parts left out take their defaults)', requestBody: json(plain(MessagingPolicyInput)), responses: { 200: json(plain(MessagingPolicy)), 422: problem } },
      },
      '/api/topics': {
        get: { summary: 'Subscription topics (?archived=true includes archived ones)', responses: { 200: ok('{ topics }') } },
        post: { summary: 'Add a topic that email nodes may name and contacts may leave on the preference page', requestBody: json(plain(TopicInput)), responses: { 201: ok('Topic'), 409: problem, 422: problem } },
      },
      '/api/topics/{key}': {
        get: { summary: 'A topic', parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: ok('Topic'), 404: problem } },
        put: { summary: 'Rename or describe a topic', parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }], requestBody: json(plain(TopicUpdate)), responses: { 200: ok('Topic'), 404: problem, 422: problem } },
        delete: { summary: 'Archive a topic: it leaves the preference page; opt-outs keep holding', parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }], responses: { 204: { description: 'Archived' } } },
      },
      '/api/rfm-settings': {
        get: { summary: 'RFM: the purchase event, its value property, the window and the score boundaries', responses: { 200: json(plain(RfmSettings)) } },
        put: { summary: 'Replace the RFM settings (parts left out take their defaults); purchasers are re-scored', requestBody: json(plain(RfmSettingsInput)), responses: { 200: json(plain(RfmSettings)), 422: problem } },
      },
      '/api/site-keys': {
        get: { summary: 'Site keys of tracking snippets (prefixes only)', responses: { 200: ok('{ siteKeys }') } },
        post: { summary: 'Create a site key; the whole key is in this response only', requestBody: json(plain(SiteKeyInput)), responses: { 201: ok('SiteKey with key'), 422: problem } },
      },
      '/api/site-keys/{id}': { delete: { summary: 'Revoke a site key', parameters: id, responses: { 200: ok('SiteKey'), 404: problem } } },
      '/api/keys': {
        get: { summary: 'API keys (prefixes only); admin scope', responses: { 200: ok('{ keys }'), 403: problem } },
        post: { summary: 'Create an API key with scope read, write or admin; the whole key is in this response only', requestBody: json(plain(ApiKeyInput)), responses: { 201: ok('ApiKey with key'), 403: problem, 422: problem } },
      },
      '/api/keys/{id}': { delete: { summary: 'Revoke an API key', parameters: id, responses: { 200: ok('ApiKey'), 403: problem, 404: problem } } },
      '/api/forms': {
        get: { summary: 'Forms', responses: { 200: ok('{ forms }') } },
        post: { summary: 'Create a form', requestBody: json(plain(FormInput)), responses: { 201: ok('Form'), 422: problem } },
      },
      '/api/forms/{id}': {
        get: { summary: 'A form', parameters: id, responses: { 200: ok('Form'), 404: problem } },
        put: { summary: 'Replace a form', parameters: id, requestBody: json(plain(FormInput)), responses: { 200: ok('Form'), 422: problem } },
        delete: { summary: 'Archive a form', parameters: id, responses: { 204: { description: 'Archived' } } },
      },
      '/t/collect': { post: { security: [], summary: 'Public, CORS-open: tracking events and identify from t.js, authorised by a site key (text/plain JSON, at most 16 kB)', requestBody: json(plain(CollectInput)), responses: { 202: ok('{ accepted }'), 401: problem, 413: problem, 422: problem } } },
      '/f/{id}/embed': { get: { security: [], summary: 'Public: the fields to show (progressive profiling by ?vid=)', parameters: id, responses: { 200: ok('{ id, fields, hidden, submitLabel }'), 404: problem } } },
      '/f/{id}/submit': { post: { security: [], summary: 'Public: submit a form (form-encoded from the hosted page, or JSON {values, hidden, shown, anonymousId, page, honeypot}; a filled honeypot is thanked and stores nothing)', parameters: id, responses: { 200: ok('{ message, redirect }'), 303: { description: 'Redirect after a hosted-page submit' }, 404: problem, 422: problem } } },
    },
  };
  // Statuses every operation can answer, whatever it does, each with problem+json:
  // 400 malformed JSON, 401 no or unknown key, 403 a scope too small, 413 a body over its
  // limit, 415 an encoding the server does not take, 503 the database unreachable; and 404
  // where the path names something by id.
  for (const [route, item] of Object.entries(doc.paths as Record<string, Record<string, { responses?: Record<string, unknown>; parameters?: unknown[] }>>)) {
    if (!route.startsWith('/api/')) continue;
    for (const op of Object.values(item)) {
      op.responses ??= {};
      for (const status of ['400', '401', '403', '413', '415', '503', ...(route.includes('{') ? ['404'] : [])]) op.responses[status] ??= problem;
    }
  }
  // The shared sub-schemas the `plain` calls above met (Condition), once each.
  for (const [name, schema] of shared) (doc.components.schemas as Record<string, unknown>)[name] = schema;
  return doc;
}
