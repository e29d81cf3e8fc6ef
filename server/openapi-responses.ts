// What each JSON-answering operation sends back, as JSON Schema, so the OpenAPI
// document (./openapi.ts) describes real bodies rather than `{type: object}`. Written
// from the handlers (server/routes/*) and the storage they read; checked against real
// answers by test/integration/api-responses.test.ts. Objects stay open (no
// `additionalProperties: false`): adding a field to an answer is not a breaking change.
//
// `Condition` and `FlowDocument` are the request schemas ./openapi.ts already holds
// under #/components/schemas: what is stored was validated by them, so it is read back
// in the same shape.

import { PERMISSIONS } from './scopes.js';
import { AttributionAnswer } from './routes/attribution.js';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const string: Schema = { type: 'string' };
const integer: Schema = { type: 'integer' };
const number: Schema = { type: 'number' };
const boolean: Schema = { type: 'boolean' };
const uuid: Schema = { type: 'string', format: 'uuid' };
/** `toISOString()` of a Date, or PostgreSQL's own JSON of a timestamptz (`…+00:00`): both RFC 3339. */
const dateTime: Schema = { type: 'string', format: 'date-time' };
const anyObject: Schema = { type: 'object' };
const array = (items: Schema): Schema => ({ type: 'array', items });
/** An object used as a dictionary: any keys, each value of this schema. */
const dictionary = (values: Schema): Schema => ({ type: 'object', additionalProperties: values });
/** The value or null (for objects too: `required` only applies to an object). */
const orNull = (s: Schema): Schema => (typeof s.type === 'string' ? { ...s, type: [s.type, 'null'] } : { anyOf: [s, { type: 'null' }] });
/** An object whose properties are all always sent, except those named in `optional`. */
const object = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  properties,
});

const programStatus: Schema = { type: 'string', enum: ['draft', 'live', 'paused', 'archived'] };
const visitStatus: Schema = { type: 'string', enum: ['active', 'waiting', 'completed', 'failed'] };
const messageStatus: Schema = { type: 'string', enum: ['sending', 'sent', 'failed', 'skipped', 'deferred'] };
const popupStyle: Schema = { type: 'string', enum: ['modal', 'slide-in'] };
const popupTrigger: Schema = { type: 'string', enum: ['exit-intent', 'scroll', 'time', 'page-views'] };
const enrollmentStatus: Schema = { type: 'string', enum: ['active', 'completed', 'exited', 'failed', 'held_out'] };

// Rows of the contact export: PostgreSQL's to_jsonb of each table, so snake_case
// column names and PostgreSQL timestamps, unlike the rest of the API.
const exported = {
  contact: object({
    id: uuid, external_id: orNull(string), email: orNull(string), phone: orNull(string), attributes: anyObject, score: integer, tags: array(string), consent: anyObject,
    unsubscribed_at: orNull(dateTime), timezone: orNull(string), created_at: dateTime, updated_at: dateTime, merged_into: orNull(uuid), merged_at: orNull(dateTime),
  }),
  identity: object({ kind: string, value: string, contact_id: uuid, created_at: dateTime, verified_at: orNull(dateTime) }),
  event: object({ id: uuid, contact_id: uuid, type: string, properties: anyObject, client_id: orNull(string), source: string, occurred_at: dateTime, received_at: dateTime }),
  message: object({
    id: uuid, idempotency_key: string, channel: string, contact_id: orNull(uuid), enrollment_id: orNull(uuid), program_id: orNull(uuid), node_id: orNull(string),
    recipient: orNull(string), subject: orNull(string), status: messageStatus, reason: orNull(string), attempts: integer, response: {}, created_at: dateTime, sent_at: orNull(dateTime),
    marketing: boolean, deferred_until: orNull(dateTime), links: {}, first_opened_at: orNull(dateTime), first_clicked_at: orNull(dateTime), topic: orNull(string),
  }),
  visit: object({
    enrollment_id: uuid, node_id: string, visit: integer, program_id: uuid, version: integer, status: visitStatus, port: orNull(string), wake_at: orNull(dateTime),
    error: orNull(string), entered_at: dateTime, left_at: orNull(dateTime),
  }),
};

export const responseComponents: Record<string, unknown> = {
  User: object({ id: uuid, email: string, name: string, role: { type: 'string', enum: ['owner', 'admin', 'marketer', 'viewer'] }, createdAt: dateTime, disabledAt: orNull(dateTime) }),
  Comment: object({
    id: uuid, programId: uuid, nodeId: { ...orNull(string), description: 'The node it is about; null for the program' }, threadId: { ...orNull(uuid), description: 'The thread\'s first comment, for a reply' },
    author: object({ kind: { type: 'string', enum: ['user', 'key'] }, id: orNull(uuid), name: string }), body: { ...string, description: 'Empty once deleted' },
    mentions: array(object({ id: uuid, name: string })), createdAt: dateTime, deletedAt: orNull(dateTime),
  }),
  FieldError: object({ path: { type: 'string', description: 'JSON Pointer into the request (or document)' }, message: string }),
  NodeType: object({
    id: string, version: integer, category: { type: 'string', enum: ['trigger', 'wait', 'logic', 'action'] }, title: string, description: string,
    configSchema: { type: 'object', description: 'JSON Schema of the node\'s config' }, ports: array(object({ name: string, label: string })),
    dynamicPorts: object({ field: string, nameKey: string, labelKey: string }, ['labelKey']), summary: string, waits: boolean,
    source: { type: 'string', description: '"built-in", or the TEND_PLUGINS entry it came from' },
  }, ['dynamicPorts', 'summary']),
  ProgramVersion: object({ version: integer, publishedAt: dateTime, activeContacts: integer, totalContacts: integer }),
  ProgramSummary: object({ id: uuid, name: string, description: string, status: programStatus, liveVersion: orNull(integer), activeContacts: integer, createdAt: dateTime, updatedAt: dateTime }),
  Program: object({
    id: uuid, name: string, description: string, status: programStatus, liveVersion: orNull(integer),
    revision: { type: 'integer', description: 'The draft\'s revision, also the ETag; send it as If-Match when saving' },
    createdAt: dateTime, updatedAt: dateTime, draft: ref('FlowDocument'),
    problems: { ...array(ref('FieldError')), description: 'What stops the draft from being published' }, versions: array(ref('ProgramVersion')),
  }),
  AcceptedEvent: object({ id: uuid, contactId: uuid, duplicate: { type: 'boolean', description: 'The client id was accepted before: nothing new was stored, `id` is the first event' } }),
  Contact: object({
    id: uuid, externalId: orNull(string), email: orNull(string), phone: orNull(string), attributes: anyObject, score: integer, tags: array(string),
    consent: anyObject, unsubscribed: boolean, timezone: orNull(string), createdAt: dateTime,
    segments: { ...array(string), description: 'Keys of the segments the contact is in (GET /api/contacts/{id} only)' },
    mergedInto: { ...uuid, description: 'A merged visitor: the contact that absorbed it' },
  }, ['segments', 'mergedInto']),
  Erasure: object({ erasureId: { type: 'string', pattern: '^[0-9]+$', description: 'The number of the erasure record (which names no one)' }, erasedAt: dateTime, counts: { ...dictionary(integer), description: 'Rows deleted per kind, runs ended, files deleted' } }),
  TimelineEntry: {
    oneOf: [
      object({ kind: { const: 'event' }, at: dateTime, id: uuid, type: string, properties: anyObject, source: string }),
      object({
        kind: { const: 'node' }, at: dateTime, programId: uuid, version: integer, node: string, visit: integer, status: visitStatus,
        port: orNull(string), leftAt: orNull(dateTime), wakeAt: orNull(dateTime), error: orNull(string),
      }),
      object({
        kind: { const: 'message' }, at: dateTime, id: uuid, channel: string, status: messageStatus, subject: orNull(string), recipient: orNull(string),
        reason: orNull(string), programId: orNull(uuid), node: orNull(string), sentAt: orNull(dateTime),
        openedAt: { ...orNull(dateTime), description: 'First opened (email)' }, clickedAt: { ...orNull(dateTime), description: 'First clicked (email)' },
      }),
    ],
  },
  ScoringRule: object({
    id: uuid, name: string, eventType: string, where: ref('Condition'), points: integer, cap: object({ points: integer, per: string }),
    expiresAfter: string, active: boolean, createdAt: dateTime, updatedAt: dateTime,
  }, ['where', 'cap', 'expiresAfter']),
  Segment: object({ id: uuid, key: string, name: string, description: string, condition: ref('Condition'), active: boolean, members: integer, createdAt: dateTime, updatedAt: dateTime }),
  PredictiveScore: object({
    settings: object({ enabled: boolean, conversionEvent: string, features: array(string), window: string, retrainEvery: string, minExamples: integer, field: string }),
    model: orNull(object({
      trainedAt: dateTime, examples: integer, converted: integer,
      auc: { type: ['number', 'null'], description: 'Area under the ROC curve on the held-out leads; null when they are all of one kind' },
      heldOut: integer, weights: { ...dictionary(number), description: 'Per input (bias, each feature event, score), in standard deviations' },
    })),
  }),
  Topic: object({ key: string, name: string, description: string, archived: boolean, createdAt: dateTime, updatedAt: dateTime }),
  SiteKey: object({ id: uuid, name: string, prefix: string, domains: array(string), createdAt: dateTime, revokedAt: orNull(dateTime), lastSeenAt: { ...orNull(dateTime), description: 'When a page last sent a page view with this key' }, lastPage: orNull(string) }),
  ApiKey: object({ id: uuid, name: string, scope: { type: 'string', enum: ['read', 'write', 'admin'] }, prefix: string, createdAt: dateTime, lastUsedAt: orNull(dateTime), revokedAt: orNull(dateTime) }),
  FormField: object({
    name: string, label: string, type: { type: 'string', enum: ['text', 'email', 'tel', 'select', 'checkbox'] }, required: boolean,
    pattern: string, patternMessage: string, options: array(string),
  }, ['required', 'pattern', 'patternMessage', 'options']),
  Form: object({
    id: uuid, name: string, fields: array(ref('FormField')), hidden: dictionary(string), thankYou: string, redirectUrl: { type: 'string', format: 'uri' },
    maxFields: integer, submitLabel: string, createdAt: dateTime, updatedAt: dateTime,
  }, ['hidden', 'thankYou', 'redirectUrl', 'maxFields', 'submitLabel']),
  Popup: object({
    formId: uuid, style: popupStyle, trigger: popupTrigger, threshold: integer, hideDaysAfterClose: integer, hideDaysAfterSubmit: integer,
    segments: array(string), pages: string, active: boolean, updatedAt: dateTime,
  }, ['threshold', 'pages']),
  ContentSlot: object({
    id: uuid, key: string, name: string, defaultHtml: { ...orNull(string), description: 'Null: the page keeps its own content' },
    variants: array(object({ key: string, name: string, html: { type: 'string', description: 'As stored: cleaned to the allowed elements' }, condition: ref('Condition') })),
    createdAt: dateTime, updatedAt: dateTime,
  }),
  LandingPage: object({
    id: uuid, slug: string, name: string, title: string,
    variants: array(object({ key: string, name: string, weight: integer, blocks: array({ type: 'object', required: ['type'], properties: { type: { type: 'string', enum: ['heading', 'text', 'image', 'form', 'cta'] } } }) })),
    goal: object({ kind: { type: 'string', enum: ['form', 'event', 'cta'] }, eventType: string, ctaId: { ...string, description: 'A cta goal counting one button\'s clicks (its id); absent: any button' }, withinDays: integer }, ['eventType', 'ctaId']),
    requireConsent: { ...boolean, description: 'The page sets no cookie and records nothing until the visitor accepts on its consent bar' },
    confidence: number, minSample: integer, status: { type: 'string', enum: ['draft', 'published', 'archived'] },
    winner: { ...orNull(string), description: 'The variant every visitor sees once decided' }, decidedAt: orNull(dateTime), decision: orNull(anyObject),
    decidedBy: { ...orNull(object({ kind: { type: 'string', enum: ['user', 'key', 'system'] }, id: orNull(string), name: string })), description: 'Who chose the winner by hand; null when the test chose it, or while it runs' },
    publishedAt: orNull(dateTime), createdAt: dateTime, updatedAt: dateTime,
  }, ['title']),
  VariantResult: object({ variant: string, assigned: { type: 'integer', description: 'Contacts whose window has passed' }, converted: integer, rate: number }),
  Readiness: object({ ready: boolean, checks: dictionary(object({ ok: boolean, error: string }, ['error'])) }),
};

const Program = ref('Program');
const Contact = ref('Contact');
const Topic = ref('Topic');
const Form = ref('Form');
const Segment = ref('Segment');
const ScoringRule = ref('ScoringRule');
const PredictiveScore = ref('PredictiveScore');
const Erasure = ref('Erasure');
const Readiness = ref('Readiness');

const contactsPage = object({ contacts: array(Contact), total: { ...orNull(integer), description: 'Every match, counted on a page asked for without ?after=; null on the pages after it' }, limit: integer, offset: integer, next: { ...orNull(string), description: 'Pass as ?after= for the next page; null on the last' } });
const batchRow: Schema = {
  oneOf: [
    object({ index: integer, status: { type: 'string', enum: ['created', 'updated', 'unchanged'] }, id: uuid }),
    object({ index: integer, status: { const: 'rejected' }, errors: array(ref('FieldError')) }),
  ],
};
const contactExport = object({
  format: { const: 'tend.contact-export/v1' }, exportedAt: dateTime, contact: exported.contact, mergedContacts: array(exported.contact),
  identities: array(exported.identity), events: array(exported.event), messages: array(exported.message),
  enrollments: array(object({
    id: uuid, program_id: uuid, version: integer, contact_id: uuid, key: string, trigger_event_id: orNull(uuid), trigger_node: string, status: enrollmentStatus,
    current_node: orNull(string), exit_reason: orNull(string), entered_at: dateTime, ended_at: orNull(dateTime), programName: string, visits: array(exported.visit),
  })),
  segments: array(object({ segmentId: uuid, segment: { type: 'string', description: 'The segment\'s name' }, enteredAt: dateTime })),
  scoreAwards: array(object({ id: integer, contact_id: uuid, rule_id: uuid, event_id: uuid, points: integer, awarded_at: dateTime, expires_at: orNull(dateTime), expired_at: orNull(dateTime) })),
  rfmPurchases: array(object({ event_id: uuid, contact_id: uuid, occurred_at: dateTime, value: number })),
  merges: array(object({ id: integer, merged_id: uuid, survivor_id: uuid, reason: string, events_moved: integer, merged_at: dateTime })),
  dateSchedules: array(object({ signature: string, contact_id: uuid, fire_at: dateTime })),
});
const nodeStats = object({
  entered: integer, active: integer, waiting: integer, completed: integer, errors: integer,
  exited: { ...integer, description: 'Runs that ended at this node' },
  messages: object({ sent: integer, skipped: integer, failed: integer, deferred: integer, opened: integer, clicked: integer, unsubscribed: { ...integer, description: 'Contacts whose last email before unsubscribing came from this node' }, queued: { ...integer, description: 'Sends held now by the channel\'s sending ceiling' } }),
}, ['messages']);
const embedField: Schema = { allOf: [ref('FormField'), object({ value: { type: 'string', description: 'The known contact\'s email, prefilled' } }, ['value'])] };

const role: Schema = { type: 'string', enum: ['owner', 'admin', 'marketer', 'viewer'] };
/** What the signed-in person may do (the role's row of the permission table): the editor offers only these. */
const permissions: Schema = { type: 'array', items: { type: 'string', enum: [...PERMISSIONS] }, description: 'What this person may do: read, export (a contact\'s personal data), write, settings, admin' };
const SignedIn = object({ user: ref('User'), csrfToken: { type: 'string', description: 'Send in X-CSRF-Token with every request that changes something' }, permissions });
const Invitation = object({ id: uuid, email: string, role, invitedBy: string, createdAt: dateTime, expiresAt: dateTime, acceptedAt: orNull(dateTime) });
const AuditEntry = object({
  id: string, at: dateTime, actor: object({ kind: { type: 'string', enum: ['user', 'key', 'system'] }, id: orNull(string), name: string }),
  action: { type: 'string', description: 'The route, e.g. POST /api/flows/:id/publish' }, target: orNull(object({ kind: string, id: orNull(string) })),
  detail: { type: 'object', description: 'What the route adds: a publish\'s changes in words, a new role' }, ip: orNull(string),
});

export const responseSchemas: Record<string, Record<string, unknown>> = {
  'GET /api/node-types': { 200: object({ nodeTypes: array(ref('NodeType')) }) },
  'POST /api/flows/preview-email': {
    200: object({
      problems: { ...array(ref('FieldError')), description: 'Template errors by field (/subject, /html, /layout, /text); what did render is still sent' },
      subject: string, html: string, text: string,
      contact: object({ id: { ...orNull(uuid), description: 'null for the sample contact' }, email: orNull(string) }),
      event: orNull(object({ type: string, occurredAt: dateTime })),
    }),
  },
  'GET /api/templates': {
    200: object({
      templates: array(object({
        file: { type: 'string', description: 'Path under examples/' }, name: string, description: string, nodes: { type: 'integer', description: 'How many nodes' },
        document: { type: 'object', required: ['format', 'nodes'], properties: { format: { const: 'tend.flow/v1' }, nodes: { type: 'array' } }, description: 'The flow document as the file holds it' },
      })),
    }),
  },
  'POST /api/flows/validate': { 200: object({ valid: boolean, problems: array(ref('FieldError')) }) },
  'GET /api/flows': { 200: object({ programs: array(ref('ProgramSummary')) }) },
  'POST /api/flows': { 201: Program },
  'POST /api/flows/import': { 201: Program },
  'GET /api/flows/{id}': { 200: Program },
  'PUT /api/flows/{id}': { 200: Program },
  'PATCH /api/flows/{id}': { 200: Program },
  'POST /api/flows/{id}/publish': { 200: object({ id: uuid, version: integer, status: { const: 'live' } }) },
  'POST /api/flows/{id}/pause': { 200: Program },
  'POST /api/flows/{id}/resume': { 200: Program },
  'POST /api/flows/{id}/archive': { 200: Program },
  'POST /api/flows/{id}/duplicate': { 201: Program },
  'GET /api/flows/{id}/versions': { 200: object({ versions: array(ref('ProgramVersion')) }) },
  'GET /api/flows/{id}/stats': {
    200: object({
      id: uuid, version: { ...orNull(integer), description: 'The version asked for (?version=), else the live one; null for a program never published' },
      enrollments: { ...dictionary(integer), description: 'Runs by status (active, completed, exited, failed); statuses with none are left out' },
      nodes: { ...dictionary(nodeStats), description: 'By node id' },
      edges: { ...dictionary(object({ count: integer, share: { type: 'number', description: 'count / the source node\'s completed visits' } })), description: 'By edge id' },
    }),
  },
  'GET /api/flows/{id}/nodes/{node}/analytics': {
    200: object({
      id: uuid, node: string, days: integer,
      series: array(object({ day: { type: 'string', format: 'date' }, entered: integer, exited: integer, sent: integer, opened: integer, clicked: integer, unsubscribed: integer })),
    }),
  },
  'GET /api/flows/{id}/enrollments': {
    200: object({
      enrollments: array(object({
        id: uuid, contactId: uuid, email: orNull(string), externalId: orNull(string), version: integer, key: string,
        node: { ...orNull(string), description: 'The node the run is at' }, enteredAt: dateTime, wakeAt: { ...orNull(dateTime), description: 'When a wait at that node ends' },
      })),
    }),
  },
  'POST /api/flows/preview-email/send': { 200: object({ to: string, subject: string }) },
  'GET /api/messages': {
    200: object({
      messages: array(object({
        id: uuid, channel: string, status: string, recipient: orNull(string), subject: orNull(string), reason: orNull(string), contactId: orNull(uuid),
        programId: orNull(uuid), programName: orNull(string), nodeId: orNull(string), createdAt: dateTime, sentAt: orNull(dateTime), openedAt: orNull(dateTime), clickedAt: orNull(dateTime),
      })),
      next: { ...orNull(string), description: 'Pass as ?before= for the next page; null on the last' },
    }),
  },
  'GET /api/dashboard': {
    200: object({
      days: integer, contacts: object({ total: integer, newThisWeek: integer }),
      perDay: array(object({ day: { type: 'string', format: 'date' }, events: integer, sent: integer, opened: integer, clicked: integer, unsubscribed: integer })),
      programs: array(object({ id: uuid, name: string, version: orNull(integer), inside: integer, entered: integer, goals: integer })),
      failing: object({ failedMessages: integer, failedSteps: integer, outbox: integer, oldestOutboxSeconds: orNull(integer), byProgram: array(object({ id: uuid, name: string, failedMessages: integer, failedSteps: integer })) }),
    }),
  },
  'GET /api/flows/{id}/comments': { 200: object({ comments: array(ref('Comment')), mentionable: array(object({ id: uuid, name: string })) }) },
  'POST /api/flows/{id}/comments': { 201: ref('Comment') },
  'PUT /api/flows/{id}/presence': { 200: object({ others: array(object({ name: string, since: { ...dateTime, description: 'When they opened it' } })) }) },
  // TypeBox in the route's file; JSON round trip drops TypeBox's own (symbol) keys.
  'GET /api/flows/{id}/attribution': { 200: JSON.parse(JSON.stringify(AttributionAnswer)) as Schema },
  'GET /api/flows/{id}/experiments/{node}': {
    200: object({
      node: string, metric: { type: 'string', enum: ['opened', 'clicked', 'conversion'] }, window: string, minSample: integer,
      winner: string, decidedAt: dateTime, results: array(ref('VariantResult')), holdout: ref('VariantResult'),
    }, ['winner', 'decidedAt']),
  },
  'POST /api/events': { 202: ref('AcceptedEvent'), 200: ref('AcceptedEvent') },
  'POST /api/events/batch': { 202: object({ events: { ...array(ref('AcceptedEvent')), description: 'In the order sent' } }) },
  'GET /api/contacts': { 200: contactsPage },
  'PUT /api/contacts': { 200: Contact, 201: Contact },
  'POST /api/contacts/batch': {
    200: object({ created: integer, updated: integer, unchanged: integer, rejected: integer, results: { ...array(batchRow), description: 'One per row sent, in order' } }),
  },
  'GET /api/contacts/{id}': { 200: Contact },
  'DELETE /api/contacts/{id}': { 200: Erasure },
  'POST /api/contacts/{id}/erase': { 200: Erasure },
  'GET /api/contacts/{id}/export': { 200: contactExport },
  'GET /api/contacts/{id}/decaying-points': { 200: object({ awards: array(object({ rule: string, points: integer, awardedAt: dateTime, expiresAt: dateTime })) }) },
  'GET /api/contacts/{id}/timeline': {
    200: object({
      contact: Contact, entries: array(ref('TimelineEntry')), truncated: boolean,
      next: { type: 'string', description: 'When truncated: the cursor for ?after= to read on' },
    }, ['next']),
  },
  'GET /api/scoring-rules': { 200: object({ rules: array(ScoringRule) }) },
  'POST /api/scoring-rules': { 201: ScoringRule },
  'GET /api/scoring-rules/{id}': { 200: ScoringRule },
  'PUT /api/scoring-rules/{id}': { 200: ScoringRule },
  'POST /api/scoring-rules/check': {
    200: object({
      score: integer,
      scoreAfter: { type: 'integer', description: 'The score were the event to happen now (decay not counted)' },
      rules: array(object({ id: uuid, name: string, points: integer, why: { type: 'string', description: 'Why the rule gives nothing: its condition, or its cap' } }, ['why'])),
    }),
  },
  'GET /api/stages': { 200: object({ stages: array(string) }) },
  'PUT /api/stages': { 200: object({ stages: array(string) }) },
  'GET /api/stages/funnel': {
    200: object({
      stages: array(object({ stage: string, contacts: { type: 'integer', description: 'At this stage now' }, reached: { type: 'integer', description: 'At this stage or a later one' } })),
      elsewhere: { ...array(object({ stage: string, contacts: integer })), description: 'Contacts at a stage not in the list' },
      none: { type: 'integer', description: 'Contacts with no stage' },
    }),
  },
  'GET /api/segments': { 200: object({ segments: array(Segment) }) },
  'POST /api/segments': { 201: Segment },
  'POST /api/segments/preview': { 200: object({ count: integer, sample: array(Contact) }) },
  'GET /api/segments/{id}': { 200: Segment },
  'PUT /api/segments/{id}': { 200: Segment },
  'GET /api/segments/{id}/members': { 200: object({ segment: { type: 'string', description: 'The segment\'s key' }, count: integer, contacts: array(Contact) }) },
  'GET /api/segments/{id}/sizes': { 200: object({ segment: string, days: integer, sizes: array(object({ day: { type: 'string', format: 'date' }, members: integer })) }) },
  'GET /api/segments/{id}/used-by': { 200: object({ segment: string, programs: array(object({ id: uuid, name: string, status: programStatus, draft: { ...array(string), description: 'Nodes of the draft that name it' }, live: { ...array(string), description: 'Nodes of the live version that name it' } })) }) },
  'GET /api/predictive-score': { 200: PredictiveScore },
  'PUT /api/predictive-score': { 200: PredictiveScore },
  'POST /api/predictive-score/train': { 200: { allOf: [PredictiveScore, object({ rescored: { type: 'integer', description: 'Contacts whose readiness changed' } })] } },
  'GET /api/topics': { 200: object({ topics: array({ allOf: [Topic, object({ optedOut: { type: 'integer', description: 'With ?optOuts=true: contacts who left this topic' } }, ['optedOut'])] }) }) },
  'GET /api/page-views': { 200: object({ pageViews: array(object({ id: uuid, at: dateTime, page: orNull(string), title: orNull(string), contactId: uuid, email: { ...orNull(string), description: 'Null: an anonymous visitor' } })) }) },
  'GET /api/email-design': {
    200: object({
      sender: object({ from: { type: 'string', description: 'The From of every email (TEND_MAIL_FROM)' } }),
      layouts: array(object({ name: string, from: { type: 'string', enum: ['built in', 'templates folder'] }, template: string })),
      partials: array(object({ name: string, from: { type: 'string', enum: ['built in', 'templates folder'] }, template: string })),
    }),
  },
  'GET /api/preference-page/preview': { 200: object({ html: { type: 'string', description: 'A whole HTML page' } }) },
  'POST /api/topics': { 201: Topic },
  'GET /api/topics/{key}': { 200: Topic },
  'PUT /api/topics/{key}': { 200: Topic },
  'GET /api/site-keys': { 200: object({ siteKeys: array(ref('SiteKey')) }) },
  'POST /api/site-keys': { 201: { allOf: [ref('SiteKey'), object({ key: { type: 'string', description: 'The whole key, shown this once' } })] } },
  'DELETE /api/site-keys/{id}': { 200: ref('SiteKey') },
  'GET /api/secrets': { 200: object({ signing: object({ rotatedAt: { ...orNull(dateTime), description: 'Null: not rotated since set-up' }, previousAccepted: { type: 'boolean', description: 'Links signed with the secret before still work' } }) }) },
  'GET /api/keys': { 200: object({ keys: array(ref('ApiKey')) }) },
  'POST /api/keys': { 201: { allOf: [ref('ApiKey'), object({ key: { type: 'string', description: 'The whole key, shown this once' } })] } },
  'DELETE /api/keys/{id}': { 200: ref('ApiKey') },
  'GET /api/forms': { 200: object({ forms: array(Form) }) },
  'POST /api/forms': { 201: Form },
  'GET /api/forms/{id}': { 200: Form },
  'PUT /api/forms/{id}': { 200: Form },
  'GET /api/forms/{id}/submissions': {
    200: object({
      submissions: array(object({
        eventId: uuid, contactId: uuid, email: { ...orNull(string), description: 'The contact\'s email now; the one typed is in values' }, submittedAt: dateTime,
        values: { ...anyObject, description: 'Field name → answer' }, hidden: { ...anyObject, description: 'The hidden fields sent with it (name → text)' },
        page: { ...string, description: 'The page the embedded form was on' },
      }, ['page'])),
      next: { ...orNull(string), description: 'Pass as ?after= for the next page; null on the last' },
    }),
  },
  'GET /api/forms/{id}/stats': {
    200: object({
      views: { ...integer, description: 'Loads of the hosted page and the embed' }, submissions: integer,
      conversionRate: { ...orNull(number), description: 'submissions / views; null with no views. It may pass 1 (an embed submitted without being loaded)' },
      perDay: array(object({ day: { type: 'string', format: 'date' }, views: integer, submissions: integer })),
    }),
  },
  'GET /api/content-slots': { 200: object({ contentSlots: array(ref('ContentSlot')) }) },
  'POST /api/content-slots': { 201: ref('ContentSlot') },
  'GET /api/content-slots/{id}': { 200: ref('ContentSlot') },
  'PUT /api/content-slots/{id}': { 200: ref('ContentSlot') },
  'GET /api/content-slots/{id}/stats': { 200: object({ days: integer, variants: array(object({ variant: { type: 'string', description: 'A variant key, or default' }, shown: integer, clicked: integer })) }) },
  'GET /api/landing-pages': { 200: object({ landingPages: array(ref('LandingPage')) }) },
  'POST /api/landing-pages': { 201: ref('LandingPage') },
  'GET /api/landing-pages/{id}': { 200: ref('LandingPage') },
  'PUT /api/landing-pages/{id}': { 200: ref('LandingPage') },
  'POST /api/landing-pages/{id}/publish': { 200: ref('LandingPage') },
  'POST /api/landing-pages/{id}/archive': { 200: ref('LandingPage') },
  'POST /api/landing-pages/{id}/winner': { 200: ref('LandingPage') },
  'GET /api/landing-pages/{id}/preview': { 200: object({ variant: string, html: { ...string, description: 'The whole page, to show in a sandboxed frame' } }) },
  'POST /api/landing-pages/{id}/preview-link': { 201: object({ url: { ...string, description: 'The page\'s own address with ?preview=<token>, relative to Tend\'s public URL' }, expiresAt: { ...string, format: 'date-time' } }) },
  'GET /api/landing-pages/{id}/results': {
    200: object({
      variants: array(object({ variant: string, name: string, viewers: integer, converted: integer, rate: number })),
      test: { ...object({ winner: orNull(string), method: { const: 'two-proportion z-test' }, pValue: orNull(number), summary: { ...string, description: 'e.g. two-proportion z-test, p = 0.0031' }, reason: string, figures: array(object({ variant: string, viewers: { ...integer, description: 'Contacts who saw it while the test ran' }, converted: integer, rate: number })) }), description: 'The test on today\'s figures' },
      decision: { ...orNull({ allOf: [object({ winner: orNull(string), method: { const: 'two-proportion z-test' }, pValue: orNull(number), summary: { ...string, description: 'e.g. two-proportion z-test, p = 0.0031' }, reason: string, figures: array(object({ variant: string, viewers: { ...integer, description: 'Contacts who saw it while the test ran' }, converted: integer, rate: number })) }), object({ decidedAt: dateTime })] }), description: 'The stored decision; null while the test runs' },
    }),
  },
  'GET /t/content': {
    200: object({
      slots: { ...dictionary(object({ variant: { type: 'string', description: 'The variant key, or default' }, html: { ...orNull(string), description: 'Null: keep the page\'s own content' } })), description: 'Each asked slot that exists, by key' },
      popups: { ...array(object({ formId: uuid, style: popupStyle, trigger: popupTrigger, threshold: integer, hideDaysAfterClose: integer, hideDaysAfterSubmit: integer, pages: string }, ['threshold', 'pages'])), description: 'With popups=true: the active pop-up forms this visitor may see, in order' },
    }, ['popups']),
  },
  'GET /api/forms/{id}/popup': { 200: object({ popup: { ...orNull(ref('Popup')), description: 'Null: the form is not shown as a pop-up' } }) },
  'PUT /api/forms/{id}/popup': { 200: object({ popup: ref('Popup') }) },
  'POST /t/collect': { 202: object({ accepted: { type: 'integer', description: 'Events taken (a re-sent client id counts too)' } }) },
  'GET /f/{id}/embed': { 200: object({ id: uuid, name: { type: 'string', description: 'The form\'s name: a pop-up shows it as its title' }, fields: array(embedField), hidden: dictionary(string), submitLabel: string }) },
  'POST /f/{id}/submit': { 200: object({ message: string, redirect: { ...orNull({ type: 'string', format: 'uri' }), description: 'Where the page should go instead of showing the message' } }) },
  'GET /healthz': { 200: object({ ok: { const: true } }) },
  'GET /readyz': { 200: Readiness, 503: Readiness },
  'POST /api/auth/setup': { 201: SignedIn },
  'POST /api/auth/sign-in': { 200: SignedIn },
  'POST /api/auth/accept-invitation': { 201: SignedIn },
  'GET /api/auth/session': { 200: object({ user: orNull(object({ id: uuid, email: string, name: string, role })), csrfToken: orNull(string), permissions }) },
  'POST /api/auth/forgot-password': { 202: object({ message: string }) },
  'POST /api/auth/reset-password': { 200: SignedIn },
  'GET /api/auth/providers': { 200: object({ oidc: orNull(object({ name: string })) }) },
  'POST /api/auth/sign-out-everywhere': { 200: object({ sessionsEnded: integer }) },
  'GET /api/users': { 200: object({ users: array(ref('User')), invitations: array(Invitation) }) },
  'POST /api/users/invitations': { 201: Invitation },
  'PATCH /api/users/{id}': { 200: ref('User') },
  'POST /api/users/{id}/sign-out': { 200: object({ sessionsEnded: integer }) },
  'GET /api/audit-log': { 200: object({ entries: array(AuditEntry), next: { ...orNull(string), description: 'Send as ?before= for older entries' } }) },
};
