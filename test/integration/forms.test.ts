// Forms: defined through /api/forms (refused with the field named when wrong), served
// as a hosted page and to the embed, submitted form-encoded or as JSON. Bad answers are
// refused field by field with nothing stored; progressive profiling asks a known visitor
// for the next fields; a submission starts a program (an email in the real mailbox).
import { afterAll, beforeAll, expect, test } from 'vitest';
import pg from 'pg';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
let db: pg.Client;
let demo: any;
beforeAll(async () => {
  tend = await startTend();
  db = new pg.Client({ connectionString: tend.databaseUrl });
  await db.connect();
  const created = await tend.api('POST', '/api/forms', {
    name: 'Book a <demo>',
    fields: [
      { name: 'email', label: 'Work email', type: 'email', required: true },
      { name: 'first_name', label: 'First name', type: 'text', required: true },
      { name: 'company', label: 'Company', type: 'text', required: true },
      { name: 'team_size', label: 'Team size', type: 'select', options: ['1-10', '11-50', '51+'] },
      { name: 'phone', label: 'Phone', type: 'tel' },
      { name: 'vat', label: 'VAT number', type: 'text', pattern: '[A-Z]{2}[0-9]{8,12}', patternMessage: 'looks like DE123456789' },
      { name: 'terms', label: 'I accept the terms', type: 'checkbox', required: true },
    ],
    hidden: { campaign: 'spring' },
    thankYou: 'Thanks, we will be in touch.',
    maxFields: 4,
  });
  expect(created.status).toBe(201);
  demo = created.body;
});
afterAll(async () => {
  await db?.end();
  await tend?.stop();
});

const submit = (formId: string, body: unknown) =>
  fetch(`${tend.url}/f/${formId}/submit`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) });
const embed = async (formId: string, vid?: string) => (await fetch(`${tend.url}/f/${formId}/embed${vid ? `?vid=${vid}` : ''}`)).json();
const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].n);

test('form definitions: refused with the field named; listed, read, changed and archived', async () => {
  const bad = await tend.api('POST', '/api/forms', {
    name: 'Broken',
    fields: [
      { name: 'mail', label: 'Mail', type: 'text' },
      { name: 'size', label: 'Size', type: 'select' },
      { name: 'code', label: 'Code', type: 'text', pattern: '([a-z' },
      { name: 'code', label: 'Again', type: 'text' },
    ],
  });
  expect(bad.status).toBe(422);
  expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/fields', '/fields/1/options', '/fields/2/pattern', '/fields/3/name']);
  const badType = await tend.api('POST', '/api/forms', { name: 'x', fields: [{ name: 'email', label: 'E', type: 'color' }] });
  expect(badType.status).toBe(422);
  expect(badType.body.errors[0].path).toBe('/fields/0/type');
  expect(await count('SELECT count(*) AS n FROM forms')).toBe(1);

  const temp = (await tend.api('POST', '/api/forms', { name: 'Newsletter', fields: [{ name: 'email', label: 'Email', type: 'email' }] })).body;
  expect((await tend.api('GET', '/api/forms')).body.forms.map((f: any) => f.name)).toEqual(['Book a <demo>', 'Newsletter']);
  const changed = await tend.api('PUT', `/api/forms/${temp.id}`, { name: 'Weekly letter', fields: [{ name: 'email', label: 'Email', type: 'email' }], redirectUrl: 'https://www.example.com/thanks' });
  expect(changed.body).toMatchObject({ id: temp.id, name: 'Weekly letter', redirectUrl: 'https://www.example.com/thanks' });
  // Hosted page, form-encoded: a redirect form answers 303.
  const posted = await fetch(`${tend.url}/f/${temp.id}/submit`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=letter%40example.com' });
  expect(posted.status).toBe(303);
  expect(posted.headers.get('location')).toBe('https://www.example.com/thanks');
  expect((await tend.api('DELETE', `/api/forms/${temp.id}`)).status).toBe(204);
  expect((await tend.api('GET', `/api/forms/${temp.id}`)).status).toBe(404);
  expect((await fetch(`${tend.url}/f/${temp.id}`)).status).toBe(404);
  // Not with a site key, nor without a key.
  expect((await fetch(`${tend.url}/api/forms`)).status).toBe(401);
});

test('bad answers are refused naming each field, as JSON and on the hosted page, and nothing is stored', async () => {
  const shown = ['email', 'first_name', 'company', 'team_size', 'vat', 'terms'];
  const res = await submit(demo.id, { values: { email: 'not-mail', first_name: ' ', team_size: '1000', vat: 'nope', nickname: 'x' }, shown, anonymousId: 'visitor-bad-0001' });
  expect(res.status).toBe(422);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  const errors = (await res.json()).errors;
  expect(Object.fromEntries(errors.map((e: any) => [e.path, e.message]))).toEqual({
    '/values/nickname': 'is not a field of this form',
    '/values/email': '"not-mail" is not an email address',
    '/values/first_name': 'First name is required',
    '/values/company': 'Company is required',
    '/values/team_size': 'must be one of: 1-10, 11-50, 51+',
    '/values/vat': 'looks like DE123456789',
    '/values/terms': 'I accept the terms must be ticked',
  });
  expect((await submit(demo.id, { values: 'email=x' })).status).toBe(422);
  expect((await submit('00000000-0000-4000-8000-000000000000', { values: {} })).status).toBe(404);

  const html = await fetch(`${tend.url}/f/${demo.id}/submit`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: 'x"><script>alert(1)</script>', first_name: 'Ada', _shown: 'email,first_name' }).toString() });
  expect(html.status).toBe(422);
  const text = await html.text();
  expect(text).toContain('data-error="email"');
  expect(text).not.toContain('<script>alert(1)</script>');
  expect(text).toContain('&lt;script&gt;');
  expect(text).toContain('value="Ada"');

  expect(await count("SELECT count(*) AS n FROM events WHERE type = 'form_submitted' AND properties->>'formId' = $1", [demo.id])).toBe(0);
  expect(await count("SELECT count(*) AS n FROM contacts WHERE email LIKE '%not-mail%' OR email LIKE '%script%'")).toBe(0);
});

test('progressive profiling: the second visit asks the next questions, email always kept and prefilled', async () => {
  const vid = 'visitor-profile-01';
  const first = await embed(demo.id, vid);
  expect(first.fields.map((f: any) => f.name)).toEqual(['email', 'first_name', 'company', 'team_size']);
  expect(first.hidden).toEqual({ campaign: 'spring' });
  const ok = await submit(demo.id, { values: { email: 'Grace@Example.com', first_name: 'Grace', company: 'Navy', team_size: '11-50' }, shown: first.fields.map((f: any) => f.name), anonymousId: vid });
  expect(ok.status).toBe(200);
  expect(await ok.json()).toEqual({ message: 'Thanks, we will be in touch.', redirect: null });

  const contact = (await tend.api('GET', '/api/contacts?email=grace@example.com')).body.contacts[0];
  expect(contact.attributes).toEqual({ first_name: 'Grace', company: 'Navy', team_size: '11-50' });

  const second = await embed(demo.id, vid);
  expect(second.fields.map((f: any) => f.name)).toEqual(['email', 'phone', 'vat', 'terms']);
  expect(second.fields[0].value).toBe('grace@example.com');
  // The hosted page follows the same rule.
  const hosted = await (await fetch(`${tend.url}/f/${demo.id}?vid=${vid}`)).text();
  expect(hosted).toContain('name="phone"');
  expect(hosted).not.toContain('name="first_name"');
  expect(hosted).toContain('<h1>Book a &lt;demo&gt;</h1>');
  // An unknown visitor gets the first fields.
  expect((await embed(demo.id)).fields.map((f: any) => f.name)).toEqual(['email', 'first_name', 'company', 'team_size']);

  const again = await submit(demo.id, { values: { email: 'grace@example.com', phone: '+1 555 0100', vat: 'US12345678', terms: true }, shown: second.fields.map((f: any) => f.name), anonymousId: vid });
  expect(again.status).toBe(200);
  const after = (await tend.api('GET', `/api/contacts/${contact.id}`)).body;
  expect(after.attributes).toMatchObject({ first_name: 'Grace', phone: '+1 555 0100', vat: 'US12345678', terms: true });
  const submitted = (await db.query("SELECT properties FROM events WHERE type = 'form_submitted' AND contact_id = $1 ORDER BY occurred_at", [contact.id])).rows.map((r) => r.properties);
  expect(submitted).toEqual([
    expect.objectContaining({ formId: demo.id, values: { email: 'grace@example.com', first_name: 'Grace', company: 'Navy', team_size: '11-50' }, hidden: { campaign: 'spring' } }),
    expect.objectContaining({ formId: demo.id, values: { email: 'grace@example.com', phone: '+1 555 0100', vat: 'US12345678', terms: true } }),
  ]);
});

test('honeypot: a submission that fills the hidden field is thanked like any other and stores nothing', async () => {
  const form = (await tend.api('POST', '/api/forms', { name: 'Signup', fields: [{ name: 'email', label: 'Email', type: 'email', required: true }], thankYou: 'Welcome aboard.' })).body;
  // The hosted page carries it off-screen, out of the tab order and hidden from screen readers.
  const hosted = await (await fetch(`${tend.url}/f/${form.id}`)).text();
  expect(hosted).toMatch(/<p class="hp" aria-hidden="true"><label>[^<]*<input type="text" name="_comment" tabindex="-1" autocomplete="off">/);
  // A form cannot take the honeypot's name (nor the hosted page's other names) for a field.
  const clash = await tend.api('POST', '/api/forms', { name: 'Clash', fields: [{ name: 'email', label: 'Email', type: 'email' }, { name: '_comment', label: 'Comment', type: 'text' }] });
  expect(clash.status).toBe(422);
  expect(clash.body.errors).toEqual([{ path: '/fields/1/name', message: '"_comment" is used by the hosted form page itself' }]);

  const stored = async () => ({
    contacts: await count('SELECT count(*) AS n FROM contacts'),
    events: await count('SELECT count(*) AS n FROM events'),
  });
  const before = await stored();
  const botJson = await submit(form.id, { values: { email: 'bot@spam.example' }, honeypot: 'cheap pills', anonymousId: 'visitor-bot-00001' });
  expect(botJson.status).toBe(200);
  expect(await botJson.json()).toEqual({ message: 'Welcome aboard.', redirect: null });
  // Answers that would be refused are thanked too: a bot learns nothing from the answer.
  expect((await submit(form.id, { values: { email: 'not-mail', extra: 'x' }, honeypot: 'x' })).status).toBe(200);
  const botPage = await fetch(`${tend.url}/f/${form.id}/submit`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: 'bot2@spam.example', _comment: 'http://spam.example' }).toString() });
  expect(botPage.status).toBe(200);
  expect(await botPage.text()).toContain('<h1 data-tend-thanks>Welcome aboard.</h1>');
  expect(await stored()).toEqual(before);
  expect(await count("SELECT count(*) AS n FROM contacts WHERE email LIKE '%spam.example'")).toBe(0);
  expect((await submit(form.id, { values: {}, honeypot: 42 })).status).toBe(422);

  // People leave it empty, as the hosted page and t.js send it: stored as always.
  const person = await submit(form.id, { values: { email: 'person@example.com' }, honeypot: '' });
  expect(person.status).toBe(200);
  const personPage = await fetch(`${tend.url}/f/${form.id}/submit`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: 'page-person@example.com', _comment: '' }).toString() });
  expect(personPage.status).toBe(200);
  expect(await count("SELECT count(*) AS n FROM contacts WHERE email IN ('person@example.com', 'page-person@example.com')")).toBe(2);
  expect(await count("SELECT count(*) AS n FROM events WHERE type = 'form_submitted' AND properties->>'formId' = $1", [form.id])).toBe(2);
});

test('form_submitted starts a program for that form only', async () => {
  await tend.publish({
    format: 'tend.flow/v1',
    name: 'Demo booked',
    nodes: [
      { id: 'booked', type: 'tend.trigger.form-submitted', version: 1, config: { formId: demo.id } },
      { id: 'confirm', type: 'tend.action.email', version: 1, config: { subject: 'Your demo, {{event.properties.values.first_name}}', html: '<p>See you soon.</p>' } },
    ],
    edges: [{ id: 'e1', source: 'booked', sourcePort: 'next', target: 'confirm' }],
  });
  const other = (await tend.api('POST', '/api/forms', { name: 'Newsletter', fields: [{ name: 'email', label: 'Email', type: 'email' }] })).body;
  expect((await submit(other.id, { values: { email: 'reader@example.com' } })).status).toBe(200);
  expect((await submit(demo.id, { values: { email: 'linus@example.com', first_name: 'Linus', company: 'Kernel', terms: true } })).status).toBe(200);
  const [mail] = await tend.mailbox.waitFor(1);
  expect(mail!.subject).toBe('Your demo, Linus');
  expect((mail!.to as { text: string }).text).toBe('linus@example.com');
  await new Promise((r) => setTimeout(r, 1000));
  expect(tend.mailbox.messages).toHaveLength(1);
});
