// The response schemas of the OpenAPI document (server/openapi-responses.ts) are true:
// real data is made through the API (a published program that mails and waits, events,
// contacts, a merge, rules, segments, forms, keys…), every JSON-answering operation is
// called in each branch reachable from outside, and each 2xx body must validate
// against the schema the document gives it, with its components.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { startTend, type Tend } from '../support/tend.js';
import { openApiDocument } from '../../server/openapi.js';
import { responseComponents, responseSchemas } from '../../server/openapi-responses.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Every operation and 2xx status that answers JSON, but those whose schema openapi.ts already had (catalogue, reach, export). */
const EXPECTED: Record<string, string[]> = {
  'GET /api/node-types': ['200'], 'POST /api/flows/preview-email': ['200'], 'GET /api/templates': ['200'], 'POST /api/flows/validate': ['200'],
  'GET /api/flows': ['200'], 'POST /api/flows': ['201'], 'POST /api/flows/import': ['201'],
  'GET /api/flows/{id}': ['200'], 'PUT /api/flows/{id}': ['200'], 'PATCH /api/flows/{id}': ['200'],
  'POST /api/flows/{id}/publish': ['200'], 'POST /api/flows/{id}/pause': ['200'], 'POST /api/flows/{id}/resume': ['200'], 'POST /api/flows/{id}/archive': ['200'],
  'POST /api/flows/{id}/duplicate': ['201'], 'GET /api/flows/{id}/versions': ['200'], 'GET /api/flows/{id}/stats': ['200'], 'GET /api/flows/{id}/enrollments': ['200'], 'GET /api/flows/{id}/nodes/{node}/analytics': ['200'],
  'GET /api/flows/{id}/experiments/{node}': ['200'], 'GET /api/flows/{id}/attribution': ['200'], 'GET /api/flows/{id}/comments': ['200'], 'POST /api/flows/{id}/comments': ['201'],
  'PUT /api/flows/{id}/presence': ['200'], 'GET /api/dashboard': ['200'], 'GET /api/messages': ['200'], 'POST /api/flows/preview-email/send': ['200'], 'POST /api/events': ['202', '200'], 'POST /api/events/batch': ['202'],
  'GET /api/contacts': ['200'], 'PUT /api/contacts': ['200', '201'], 'POST /api/contacts/batch': ['200'],
  'GET /api/contacts/{id}': ['200'], 'DELETE /api/contacts/{id}': ['200'], 'POST /api/contacts/{id}/erase': ['200'],
  'GET /api/contacts/{id}/export': ['200'], 'GET /api/contacts/{id}/timeline': ['200'],
  'GET /api/scoring-rules': ['200'], 'POST /api/scoring-rules': ['201'], 'GET /api/scoring-rules/{id}': ['200'], 'PUT /api/scoring-rules/{id}': ['200'],
  'GET /api/segments': ['200'], 'POST /api/segments': ['201'], 'POST /api/segments/preview': ['200'], 'GET /api/segments/{id}': ['200'], 'PUT /api/segments/{id}': ['200'],
  'GET /api/segments/{id}/members': ['200'], 'GET /api/predictive-score': ['200'], 'PUT /api/predictive-score': ['200'], 'POST /api/predictive-score/train': ['200'],
  'GET /api/topics': ['200'], 'POST /api/topics': ['201'], 'GET /api/topics/{key}': ['200'], 'PUT /api/topics/{key}': ['200'],
  'GET /api/site-keys': ['200'], 'POST /api/site-keys': ['201'], 'DELETE /api/site-keys/{id}': ['200'],
  'GET /api/keys': ['200'], 'POST /api/keys': ['201'], 'DELETE /api/keys/{id}': ['200'],
  'GET /api/forms': ['200'], 'POST /api/forms': ['201'], 'GET /api/forms/{id}': ['200'], 'PUT /api/forms/{id}': ['200'],
  'GET /api/forms/{id}/submissions': ['200'], 'GET /api/forms/{id}/stats': ['200'],
  'POST /api/scoring-rules/check': ['200'], 'GET /api/stages': ['200'], 'PUT /api/stages': ['200'], 'GET /api/stages/funnel': ['200'],
  'GET /api/segments/{id}/sizes': ['200'], 'GET /api/segments/{id}/used-by': ['200'], 'GET /api/preference-page/preview': ['200'],
  'GET /api/email-design': ['200'], 'GET /api/secrets': ['200'], 'GET /api/page-views': ['200'], 'GET /api/contacts/{id}/decaying-points': ['200'],
  'GET /api/content-slots': ['200'], 'POST /api/content-slots': ['201'], 'GET /api/content-slots/{id}': ['200'], 'PUT /api/content-slots/{id}': ['200'],
  'GET /api/content-slots/{id}/stats': ['200'], 'GET /t/content': ['200'], 'GET /api/forms/{id}/popup': ['200'], 'PUT /api/forms/{id}/popup': ['200'],
  'GET /api/landing-pages': ['200'], 'POST /api/landing-pages': ['201'], 'GET /api/landing-pages/{id}': ['200'], 'PUT /api/landing-pages/{id}': ['200'],
  'POST /api/landing-pages/{id}/publish': ['200'], 'POST /api/landing-pages/{id}/archive': ['200'], 'GET /api/landing-pages/{id}/results': ['200'], 'POST /api/landing-pages/{id}/preview-link': ['201'],
  'POST /t/collect': ['202'], 'GET /f/{id}/embed': ['200'], 'POST /f/{id}/submit': ['200'], 'GET /healthz': ['200'], 'GET /readyz': ['200'],
};

let tend: Tend;
beforeAll(async () => {
  tend = await startTend();
});
afterAll(async () => {
  await tend?.stop();
});

/** The served document in one Ajv, so each operation's response schema resolves `#/components/schemas/…` as clients do. */
function compileResponses() {
  const doc = openApiDocument() as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>> };
  const ops = Object.entries(responseSchemas).flatMap(([op, byStatus]) => Object.keys(byStatus).map((status) => `${op} ${status}`));
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: 'tend:openapi' });
  const pointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
  return new Map(ops.map((key) => {
    const [method, route, status] = key.split(' ') as [string, string, string];
    expect(doc.paths[route]?.[method.toLowerCase()]?.responses[status]?.content?.['application/json']?.schema, `${key} in the served document`).toEqual(responseSchemas[`${method} ${route}`]![status]);
    return [key, ajv.getSchema(`tend:openapi#/paths/${pointer(route)}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`)!];
  }));
}

test('every JSON-answering operation has a response schema, and the document holds them', () => {
  const missing = Object.entries(EXPECTED).flatMap(([op, statuses]) => statuses.filter((s) => !responseSchemas[op]?.[s]).map((s) => `${op} ${s}`));
  expect(missing, 'operations without a response schema').toEqual([]);
  // A component name of the document's own (FlowDocument, Condition, …) is never taken over.
  const doc = openApiDocument() as { components: { schemas: Record<string, unknown> } };
  const clashing = Object.keys(responseComponents).filter((name) => JSON.stringify(doc.components.schemas[name]) !== JSON.stringify(responseComponents[name]));
  expect(clashing, 'response components the document holds differently').toEqual([]);
  expect(() => compileResponses()).not.toThrow();
});

test('every real 2xx answer matches its schema', async () => {
  const validators = compileResponses();
  const failures: string[] = [];
  const checked = new Set<string>();

  /** Checks an answer of the operation (`op` names its template) against its schema; returns the body. */
  const check = (op: string, url: string, res: { status: number; body: any }): any => {
    const key = `${op} ${res.status}`;
    if (res.status < 200 || res.status > 299) {
      failures.push(`${op} (${url}): answered ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
      return res.body;
    }
    const validate = validators.get(key);
    if (!validate) failures.push(`${key}: no schema`);
    else if (!validate(res.body)) failures.push(`${key} (${url}):\n${(validate.errors ?? []).map((e) => `  ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('\n')}`);
    checked.add(key);
    return res.body;
  };
  const call = async (op: string, url: string, body?: unknown): Promise<any> => check(op, url, await tend.api(op.slice(0, op.indexOf(' ')), url, body));

  // Settings that make more of the export and the timeline real.
  expect((await tend.api('PUT', '/api/rfm-settings', { enabled: true })).status).toBe(200);
  const rule = await call('POST /api/scoring-rules', '/api/scoring-rules', { name: 'Signed up', eventType: 'signed_up', points: 5, where: { field: 'event.properties.plan', op: 'eq', value: 'pro' }, cap: { points: 50, per: '1 day' }, expiresAfter: '30 days' });
  await call('POST /api/scoring-rules', '/api/scoring-rules', { name: 'Page view', eventType: 'page_view', points: 1 });
  await call('GET /api/scoring-rules', '/api/scoring-rules');
  await call('GET /api/scoring-rules/{id}', `/api/scoring-rules/${rule.id}`);
  await call('PUT /api/scoring-rules/{id}', `/api/scoring-rules/${rule.id}`, { name: 'Signed up (pro)', eventType: 'signed_up', points: 10 });

  // Programs.
  const welcome = JSON.parse(fs.readFileSync(path.join('examples', 'templates', 'welcome-series.json'), 'utf8'));
  await call('GET /api/node-types', '/api/node-types');
  await call('GET /api/templates', '/api/templates');
  await call('POST /api/flows/validate', '/api/flows/validate', welcome);
  await call('POST /api/flows/validate', '/api/flows/validate', { format: 'tend.flow/v1', name: 'Broken', nodes: [{ id: 'a', type: 'tend.nope.nope', version: 1, config: {} }], edges: [] });
  const program = await call('POST /api/flows', '/api/flows', welcome);
  await call('POST /api/flows/import', '/api/flows/import', { document: { ...welcome, name: 'Imported welcome' } });
  await call('GET /api/flows/{id}', `/api/flows/${program.id}`);
  const saved = await call('PUT /api/flows/{id}', `/api/flows/${program.id}`, { ...welcome, description: 'Saved again' });
  // The editor's save: only from the revision it loaded.
  const renamed = await fetch(`${tend.url}/api/flows/${program.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${tend.apiKey}`, 'content-type': 'application/json', 'if-match': `"${saved.revision}"` }, body: JSON.stringify({ name: 'Welcome (renamed)' }) });
  check('PATCH /api/flows/{id}', `/api/flows/${program.id}`, { status: renamed.status, body: await renamed.json() });
  await call('PATCH /api/flows/{id}', `/api/flows/${program.id}`, { name: 'Welcome series', description: 'Renamed back' });
  const comment = await call('POST /api/flows/{id}/comments', `/api/flows/${program.id}/comments`, { body: 'Check the subject', nodeId: program.draft.nodes[1].id });
  await call('POST /api/flows/{id}/comments', `/api/flows/${program.id}/comments`, { body: 'Done', threadId: comment.id });
  await call('GET /api/flows/{id}/comments', `/api/flows/${program.id}/comments`);
  await call('PUT /api/flows/{id}/presence', `/api/flows/${program.id}/presence`);
  await call('GET /api/dashboard', '/api/dashboard?days=3');
  await call('GET /api/messages', '/api/messages?limit=5');
  await call('POST /api/flows/preview-email/send', '/api/flows/preview-email/send', { subject: 'Hello {{contact.attributes.first_name}}', html: '<p>Hi</p>', to: 'me@example.com' });
  await call('POST /api/flows/{id}/publish', `/api/flows/${program.id}/publish`);
  await call('GET /api/flows/{id}', `/api/flows/${program.id}`);

  // Contacts and events: Ada signs up and enters the program (a mail, then a two-day wait).
  await call('PUT /api/contacts', '/api/contacts', { email: 'ada@example.com', externalId: 'ada-1', phone: '+44 20 7946 0000', timezone: 'Europe/London', attributes: { first_name: 'Ada', plan: 'pro' }, tags: ['vip'], consent: { email: true } });
  await call('PUT /api/contacts', '/api/contacts', { email: 'ada@example.com', attributes: { last_name: 'Lovelace' } });
  await call('PUT /api/contacts', '/api/contacts', { email: 'erin@example.com' });
  await call('PUT /api/contacts', '/api/contacts', { email: 'bob@example.com' });
  const signedUp = await call('POST /api/events', '/api/events', { type: 'signed_up', email: 'ada@example.com', clientId: 'signup-ada', properties: { plan: 'pro' } });
  await call('POST /api/events', '/api/events', { type: 'signed_up', email: 'ada@example.com', clientId: 'signup-ada', properties: { plan: 'pro' } });
  await call('POST /api/events/batch', '/api/events/batch', {
    events: [
      { type: 'order_completed', contactId: signedUp.contactId, properties: { value: 42.5 }, occurredAt: new Date(Date.now() - 60_000).toISOString() },
      { type: 'signed_up', email: 'grace@example.com', contact: { attributes: { plan: 'free' }, timezone: 'America/New_York' } },
      { type: 'signed_up', email: 'ada@example.com', clientId: 'signup-ada' },
    ],
  });
  const ada = signedUp.contactId as string;
  await tend.until(async () => (await tend.sql("SELECT 1 FROM node_visits WHERE node_id = 'two_days' AND status = 'waiting'")).length >= 2, 'both runs waiting two days');
  await tend.until(async () => (await tend.sql('SELECT 1 FROM score_awards')).length > 0 && (await tend.sql('SELECT 1 FROM rfm_purchases')).length > 0, 'the award and the purchase');

  await call('GET /api/flows', '/api/flows');
  await call('GET /api/flows/{id}/versions', `/api/flows/${program.id}/versions`);
  await call('GET /api/flows/{id}/stats', `/api/flows/${program.id}/stats`);
  await call('GET /api/flows/{id}/stats', `/api/flows/${program.id}/stats?version=1`);
  await call('GET /api/flows/{id}/nodes/{node}/analytics', `/api/flows/${program.id}/nodes/two_days/analytics`);
  await call('GET /api/flows/{id}/nodes/{node}/analytics', `/api/flows/${program.id}/nodes/${program.draft.nodes[1].id}/analytics?days=7`);
  await call('GET /api/flows/{id}/enrollments', `/api/flows/${program.id}/enrollments`);
  await call('GET /api/flows/{id}/enrollments', `/api/flows/${program.id}/enrollments?node=two_days&limit=1`);
  await call('POST /api/flows/{id}/pause', `/api/flows/${program.id}/pause`);
  await call('POST /api/flows/{id}/resume', `/api/flows/${program.id}/resume`);
  const copy = await call('POST /api/flows/{id}/duplicate', `/api/flows/${program.id}/duplicate`);
  await call('GET /api/flows/{id}/stats', `/api/flows/${copy.id}/stats`);
  await call('POST /api/flows/{id}/archive', `/api/flows/${copy.id}/archive`);
  // A copy of a program whose name is as long as a name may be is still a valid program.
  const longest = await call('PATCH /api/flows/{id}', `/api/flows/${program.id}`, { name: 'N'.repeat(200) });
  expect((await call('POST /api/flows/{id}/duplicate', `/api/flows/${longest.id}/duplicate`)).name).toMatch(/^N{193} \(copy\)$/);
  await call('GET /api/flows', '/api/flows?archived=true');

  // An experiment, undecided and then with its winner stored.
  const experiment = await call('POST /api/flows', '/api/flows', {
    format: 'tend.flow/v1', name: 'Offer test',
    nodes: [
      { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'offer_shown' } },
      { id: 'test', type: 'tend.logic.experiment', version: 1, config: { variants: [{ name: 'a', weight: 50 }, { name: 'b', weight: 50 }], holdoutPercent: 10, metric: 'clicked', window: '1 day', minSample: 5 } },
      { id: 'mailA', type: 'tend.action.email', version: 1, config: { subject: 'A', html: '<p>A</p>' } },
      { id: 'mailB', type: 'tend.action.email', version: 1, config: { subject: 'B', html: '<p>B</p>' } },
    ],
    edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'test' }, { id: 'e2', source: 'test', sourcePort: 'a', target: 'mailA' }, { id: 'e3', source: 'test', sourcePort: 'b', target: 'mailB' }],
  });
  await call('POST /api/flows/{id}/publish', `/api/flows/${experiment.id}/publish`);
  const undecided = await call('GET /api/flows/{id}/experiments/{node}', `/api/flows/${experiment.id}/experiments/test`);
  // Deciding takes a day of real conversions: the stored winner is what the worker would write.
  await tend.sql('INSERT INTO experiment_winners (program_id, node_id, variant, results) VALUES ($1, $2, $3, $4)', [experiment.id, 'test', 'a', JSON.stringify(undecided.results)]);
  await call('GET /api/flows/{id}/experiments/{node}', `/api/flows/${experiment.id}/experiments/test`);
  // A program's conversions and lift, before any (no lift yet); with figures in test/e2e/attribution.test.ts.
  const measured = await call('POST /api/flows', '/api/flows', {
    format: 'tend.flow/v1', name: 'Measured', settings: { goal: { field: 'event.type', op: 'eq', value: 'order_completed' }, goalValue: 'properties.total', holdoutPercent: 10 },
    nodes: [{ id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'offer_seen' } }], edges: [],
  });
  await call('POST /api/flows/{id}/publish', `/api/flows/${measured.id}/publish`);
  await call('GET /api/flows/{id}/attribution', `/api/flows/${measured.id}/attribution?days=3`);

  // Email preview: the sample contact, a real one with their latest event, a given event, a broken template.
  await call('POST /api/flows/preview-email', '/api/flows/preview-email', { subject: 'Hi {{contact.attributes.first_name}}', html: '<p>Welcome</p>' });
  await call('POST /api/flows/preview-email', '/api/flows/preview-email', { subject: 'Hi', html: '<p>{{event.properties.plan}}</p>', contactId: ada, eventType: 'signed_up', layout: 'plain', programName: 'Welcome' });
  await call('POST /api/flows/preview-email', '/api/flows/preview-email', { subject: 'Hi', html: '<p>x</p>', text: 'Total {{event.properties.total}}', event: { type: 'order_completed', properties: { total: 3 } }, layout: 'none' });
  await call('POST /api/flows/preview-email', '/api/flows/preview-email', { subject: 'Hi {{#if}}', html: '{{> nope}}' });

  // Segments.
  const segment = await call('POST /api/segments', '/api/segments', { key: 'pro', name: 'Pro plan', description: 'Paying', condition: { field: 'contact.attributes.plan', op: 'eq', value: 'pro' } });
  await call('POST /api/segments/preview', '/api/segments/preview', { condition: { any: [{ field: 'contact.score', op: 'gte', value: 1 }, { fact: 'count', event: 'signed_up', op: 'gte', value: 1, within: '30 days' }] }, sample: 5 });
  await call('POST /api/segments/preview', '/api/segments/preview', { condition: { field: 'contact.email', op: 'exists' }, sample: 0 });
  await call('GET /api/segments', '/api/segments');
  await call('GET /api/segments/{id}', `/api/segments/${segment.id}`);
  await call('GET /api/segments/{id}', '/api/segments/pro');
  await call('GET /api/segments/{id}/members', `/api/segments/${segment.id}/members`);
  await call('PUT /api/segments/{id}', `/api/segments/${segment.id}`, { key: 'pro', name: 'Pro', condition: { not: { field: 'contact.attributes.plan', op: 'eq', value: 'free' } } });

  // Contacts: look-ups, search, a page past the end, one contact, imports.
  await call('GET /api/contacts', '/api/contacts');
  await call('GET /api/contacts', '/api/contacts?email=ADA@example.com');
  await call('GET /api/contacts', '/api/contacts?externalId=ada-1');
  await call('GET /api/contacts', '/api/contacts?q=lovelace&limit=2');
  await call('GET /api/contacts', '/api/contacts?offset=1000');
  await call('GET /api/contacts/{id}', `/api/contacts/${ada}`);
  await call('POST /api/contacts/batch', '/api/contacts/batch', {
    contacts: [
      { email: 'carol@example.com', attributes: { plan: 'pro' } },
      { email: 'bob@example.com', tags: ['imported'] },
      { email: 'erin@example.com' },
      { email: 'not an email' },
    ],
  });

  // Website tracking: a visitor browses, then says who they are (merged into Ada).
  const site = await call('POST /api/site-keys', '/api/site-keys', { name: 'www.example.com', domains: ['www.example.com'] });
  const spare = await call('POST /api/site-keys', '/api/site-keys', { name: 'old site' });
  await call('GET /api/site-keys', '/api/site-keys');
  await call('DELETE /api/site-keys/{id}', `/api/site-keys/${spare.id}`);
  const visitor = 'visitor-0001';
  await call('POST /t/collect', '/t/collect', { key: site.key, anonymousId: visitor, events: [{ type: 'page_view', properties: { url: 'https://www.example.com/pricing', path: '/pricing' }, clientId: 'pv-00000001' }] });
  await call('POST /t/collect', '/t/collect', { key: site.key, anonymousId: visitor, events: [{ type: 'page_view', properties: { url: 'https://www.example.com/pricing', path: '/pricing' }, clientId: 'pv-00000001' }], identify: { email: 'ada@example.com', attributes: { company: 'Analytical Engines' } } });
  const [merged] = await tend.sql<{ merged_id: string }>('SELECT merged_id FROM contact_merges');
  expect(merged).toBeDefined();
  await call('GET /api/contacts/{id}', `/api/contacts/${merged!.merged_id}`);

  // Forms: a thank-you form with progressive profiling, and one that redirects.
  const fields = [
    { name: 'email', label: 'Email', type: 'email', required: true },
    { name: 'first_name', label: 'First name', type: 'text', pattern: '[A-Za-z ]+', patternMessage: 'Letters only' },
    { name: 'plan', label: 'Plan', type: 'select', options: ['free', 'pro'] },
    { name: 'terms', label: 'I agree', type: 'checkbox' },
  ];
  const form = await call('POST /api/forms', '/api/forms', { name: 'Newsletter', fields, hidden: { campaign: 'spring' }, thankYou: 'Thanks!', maxFields: 3, submitLabel: 'Join' });
  const redirecting = await call('POST /api/forms', '/api/forms', { name: 'Demo', fields: fields.slice(0, 1), redirectUrl: 'https://www.example.com/thanks' });
  await call('GET /api/forms', '/api/forms');
  await call('GET /api/forms/{id}', `/api/forms/${form.id}`);
  await call('PUT /api/forms/{id}', `/api/forms/${form.id}`, { name: 'Newsletter', fields, hidden: { campaign: 'summer' }, thankYou: 'Thank you!', maxFields: 2 });
  await call('GET /api/forms/{id}/stats', `/api/forms/${form.id}/stats`);
  await call('GET /f/{id}/embed', `/f/${form.id}/embed`);
  await call('GET /f/{id}/embed', `/f/${form.id}/embed?vid=${visitor}`);
  await call('GET /f/{id}/embed', `/f/${redirecting.id}/embed`);
  await call('POST /f/{id}/submit', `/f/${form.id}/submit`, { values: { email: 'ada@example.com', first_name: 'Ada' }, shown: ['email', 'first_name'], anonymousId: visitor, page: 'https://www.example.com/' });
  await call('POST /f/{id}/submit', `/f/${redirecting.id}/submit`, { values: { email: 'hopper@example.com' } });
  await call('POST /f/{id}/submit', `/f/${form.id}/submit`, { values: { email: 'bot@example.com' }, honeypot: 'buy now' });
  await call('POST /f/{id}/submit', `/f/${form.id}/submit`, { values: { email: 'grace@example.com', first_name: 'Grace' }, shown: ['email', 'first_name'] });
  const submissions = await call('GET /api/forms/{id}/submissions', `/api/forms/${form.id}/submissions?limit=1`);
  await call('GET /api/forms/{id}/submissions', `/api/forms/${form.id}/submissions?limit=1&after=${submissions.next}`);
  await call('GET /api/forms/{id}/submissions', `/api/forms/${redirecting.id}/submissions`);
  await call('GET /api/forms/{id}/stats', `/api/forms/${form.id}/stats?days=7`);

  // Website content slots: one with a default, one without; what a known visitor and a stranger are served.
  const slot = await call('POST /api/content-slots', '/api/content-slots', { key: 'hero', name: 'Hero', defaultHtml: '<h2>Welcome</h2>', variants: [{ key: 'known', name: 'Known', html: '<p>Hello again</p>', condition: { field: 'contact.email', op: 'exists' } }] });
  await call('POST /api/content-slots', '/api/content-slots', { key: 'cta', name: 'CTA', variants: [] });
  await call('GET /api/content-slots', '/api/content-slots');
  await call('GET /api/content-slots/{id}', `/api/content-slots/${slot.id}`);
  await call('PUT /api/content-slots/{id}', `/api/content-slots/${slot.id}`, { key: 'hero', name: 'Home hero', defaultHtml: null, variants: [] });
  await call('GET /t/content', `/t/content?key=${site.key}&slots=hero,cta&vid=${visitor}`);
  await call('GET /t/content', `/t/content?key=${site.key}&slots=hero,missing`);
  // A form as a pop-up, and what a visitor is served with it.
  await call('PUT /api/forms/{id}/popup', `/api/forms/${form.id}/popup`, { style: 'slide-in', trigger: 'scroll', threshold: 50, hideDaysAfterClose: 7, hideDaysAfterSubmit: 365, segments: [], pages: '/blog/*', active: true });
  await call('PUT /api/forms/{id}/popup', `/api/forms/${redirecting.id}/popup`, { style: 'modal', trigger: 'exit-intent', hideDaysAfterClose: 0, hideDaysAfterSubmit: 30, segments: [], active: true });
  await call('GET /api/forms/{id}/popup', `/api/forms/${form.id}/popup`);
  await call('GET /t/content', `/t/content?key=${site.key}&popups=true&vid=${visitor}`);
  await call('GET /t/content', `/t/content?key=${site.key}&slots=hero&popups=true`);
  await call('POST /t/collect', '/t/collect', { key: site.key, anonymousId: visitor, events: [{ type: 'content_shown', properties: { slot: 'hero', variant: 'default', url: 'https://www.example.com/', path: '/' } }] });
  await call('GET /api/content-slots/{id}/stats', `/api/content-slots/${slot.id}/stats?days=7`);

  // Landing pages: a two-variant page with a form goal, published, viewed and decided (a tiny sample), one with an event goal, archived.
  const blocks = [{ type: 'heading', text: 'Spring', level: 1 }, { type: 'text', text: 'Hello' }, { type: 'image', url: 'https://www.example.com/a.png', alt: '' }, { type: 'form', formId: form.id }, { type: 'cta', label: 'Go', url: 'https://www.example.com/' }];
  const landing = await call('POST /api/landing-pages', '/api/landing-pages', { slug: 'spring', name: 'Spring', title: 'Spring offer', variants: [{ key: 'a', name: 'A', weight: 1, blocks }, { key: 'b', name: 'B', weight: 1, blocks: blocks.slice(0, 1).concat(blocks.slice(3)) }], goal: { kind: 'form', withinDays: 7 }, minSample: 10 });
  const demo = await call('POST /api/landing-pages', '/api/landing-pages', { slug: 'demo', name: 'Demo', variants: [{ key: 'a', name: 'A', weight: 1, blocks: [blocks[0]] }], goal: { kind: 'event', eventType: 'demo_booked', withinDays: 3 } });
  await call('GET /api/landing-pages/{id}/results', `/api/landing-pages/${landing.id}/results`);
  await call('POST /api/landing-pages/{id}/preview-link', `/api/landing-pages/${landing.id}/preview-link`, { variant: 'b' });
  await call('POST /api/landing-pages/{id}/publish', `/api/landing-pages/${landing.id}/publish`);
  await call('PUT /api/landing-pages/{id}', `/api/landing-pages/${landing.id}`, { slug: 'spring', name: 'Spring', variants: [{ key: 'a', name: 'A', weight: 1, blocks }, { key: 'b', name: 'B', weight: 2, blocks }], goal: { kind: 'form', withinDays: 7 }, confidence: 0.9, minSample: 10 });
  for (let i = 0; i < 30; i++) {
    const res = await fetch(`${tend.url}/p/spring`);
    const html = await res.text();
    if (html.includes('data-tend-variant="b"')) {
      const vid = /name="_vid" value="([^"]+)"/.exec(html)![1]!;
      await fetch(`${tend.url}/f/${form.id}/submit`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _vid: vid, _shown: 'email', email: `landing${i}@example.com` }) });
    }
  }
  await call('GET /api/landing-pages/{id}/results', `/api/landing-pages/${landing.id}/results`);
  await call('GET /api/landing-pages', '/api/landing-pages');
  await call('GET /api/landing-pages/{id}', `/api/landing-pages/${landing.id}`);
  await call('POST /api/landing-pages/{id}/archive', `/api/landing-pages/${demo.id}/archive`);
  await call('GET /api/landing-pages/{id}/results', `/api/landing-pages/${demo.id}/results`);

  // Topics.
  await call('POST /api/topics', '/api/topics', { key: 'product-news', name: 'Product news', description: 'What is new' });
  await call('POST /api/topics', '/api/topics', { key: 'offers', name: 'Offers' });
  expect((await tend.api('DELETE', '/api/topics/offers')).status).toBe(204);
  await call('POST /api/topics', '/api/topics', { key: 'offers', name: 'Offers again' });
  await call('GET /api/topics', '/api/topics');
  await call('GET /api/topics', '/api/topics?archived=true');
  await call('GET /api/topics/{key}', '/api/topics/product-news');
  await call('PUT /api/topics/{key}', '/api/topics/product-news', { name: 'News' });
  await call('GET /api/topics', '/api/topics?optOuts=true');
  await call('GET /api/preference-page/preview', '/api/preference-page/preview');
  await call('GET /api/email-design', '/api/email-design');

  // The score check, stages, a segment's sizes and users, the secrets' state.
  await call('POST /api/scoring-rules/check', '/api/scoring-rules/check', { email: 'ada@example.com', eventType: 'signed_up', properties: { plan: 'pro' } });
  await call('POST /api/scoring-rules/check', '/api/scoring-rules/check', { email: 'ada@example.com', eventType: 'page_view' });
  await call('GET /api/stages', '/api/stages');
  await call('PUT /api/stages', '/api/stages', { stages: ['lead', 'customer'] });
  await call('GET /api/stages/funnel', '/api/stages/funnel');
  await call('GET /api/segments/{id}/sizes', `/api/segments/${segment.id}/sizes`);
  await call('GET /api/segments/{id}/used-by', '/api/segments/pro/used-by');
  await call('GET /api/secrets', '/api/secrets');
  await call('GET /api/page-views', '/api/page-views?limit=5');

  // API keys.
  const reader = await call('POST /api/keys', '/api/keys', { name: 'ci', scope: 'read' });
  await call('GET /api/keys', '/api/keys');
  await call('DELETE /api/keys/{id}', `/api/keys/${reader.id}`);

  // The predictive score: no model, settings, twelve leads (four converted), a model.
  await call('GET /api/predictive-score', '/api/predictive-score');
  await call('PUT /api/predictive-score', '/api/predictive-score', { enabled: true, conversionEvent: 'deal_won', features: ['demo_viewed'], window: '30 days', retrainEvery: '1 day', minExamples: 10, field: 'readiness' });
  const leads = Array.from({ length: 12 }, (_, i) => `lead${i}@example.com`);
  await call('POST /api/events/batch', '/api/events/batch', {
    events: leads.flatMap((email, i) => [
      ...Array.from({ length: 1 + (i % 4) }, () => ({ type: 'demo_viewed', email })),
      ...(i % 3 === 0 ? [{ type: 'deal_won', email }] : []),
    ]),
  });
  await call('POST /api/predictive-score/train', '/api/predictive-score/train');
  await call('GET /api/predictive-score', '/api/predictive-score');

  // Ada's whole history, then two erasures.
  await tend.until(async () => (await tend.sql('SELECT 1 FROM messages WHERE contact_id = $1', [ada])).length > 0, 'the welcome mail recorded');
  await call('GET /api/flows/{id}/stats', `/api/flows/${program.id}/stats`);
  await call('GET /api/contacts/{id}/export', `/api/contacts/${ada}/export`);
  await call('GET /api/contacts/{id}/decaying-points', `/api/contacts/${ada}/decaying-points`);
  const timeline = await call('GET /api/contacts/{id}/timeline', `/api/contacts/${ada}/timeline`);
  expect(new Set(timeline.entries.map((e: { kind: string }) => e.kind))).toEqual(new Set(['event', 'node', 'message']));
  const first = await call('GET /api/contacts/{id}/timeline', `/api/contacts/${ada}/timeline?limit=1`);
  expect(first.next).toEqual(expect.any(String));
  await call('GET /api/contacts/{id}/timeline', `/api/contacts/${ada}/timeline?limit=2&after=${first.next}`);
  const [grace] = await tend.sql<{ id: string }>("SELECT id FROM contacts WHERE email = 'grace@example.com'");
  const [carol] = await tend.sql<{ id: string }>("SELECT id FROM contacts WHERE email = 'carol@example.com'");
  await call('DELETE /api/contacts/{id}', `/api/contacts/${grace!.id}`);
  await call('POST /api/contacts/{id}/erase', `/api/contacts/${carol!.id}/erase`);

  await call('GET /healthz', '/healthz');
  await call('GET /readyz', '/readyz');

  const unreached = Object.entries(EXPECTED).flatMap(([op, statuses]) => statuses.map((s) => `${op} ${s}`)).filter((k) => !checked.has(k));
  expect(unreached, 'operations not called').toEqual([]);
  expect(failures, 'answers that do not match their schema').toEqual([]);
}, 300_000);
