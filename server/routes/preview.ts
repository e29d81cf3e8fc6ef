// POST /api/flows/preview-email: renders an email node's templates for a sample
// contact, exactly as the worker would (same Handlebars environment, helpers, layouts
// and partials), so the editor can show a live preview while the marketer types.
// POST /api/flows/preview-email/send mails that rendering to an address, marked [Test]
// (no tracking, no unsubscribe link, nothing recorded on the contact).
import crypto from 'node:crypto';
import type { Router } from 'express';
import { router } from '../router.js';
import { Type, type Static } from '@sinclair/typebox';
import { HttpProblem } from '../http-problem.js';
import type { Db } from '../../engine/storage/db.js';
import { getContact } from '../../engine/storage/contacts.js';
import type { Mailer } from '../../engine/delivery/mailer.js';
import type { Renderer } from '../../engine/delivery/templates.js';
import { parseBody } from '../input.js';
import { route } from '../problem.js';

export const PreviewRequest = Type.Object(
  {
    subject: Type.String({ maxLength: 500 }),
    html: Type.String({ maxLength: 200000 }),
    text: Type.Optional(Type.String({ maxLength: 100000 })),
    layout: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,40}$' })),
    contactId: Type.Optional(Type.String({ format: 'uuid' })),
    /** The contact's latest event of this type is the `event` in scope (e.g. their cart). */
    eventType: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** Or an explicit sample event. */
    event: Type.Optional(Type.Object({ type: Type.String({ minLength: 1, maxLength: 200 }), properties: Type.Record(Type.String(), Type.Unknown()) }, { additionalProperties: false })),
    programName: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const TestSendRequest = Type.Composite([
  PreviewRequest,
  Type.Object({ to: Type.String({ format: 'email', maxLength: 320, description: 'Where the test goes' }) }),
], { additionalProperties: false });

/** Who the preview is for when no contact is chosen. */
const SAMPLE_CONTACT = {
  id: '00000000-0000-4000-8000-000000000000', externalId: 'sample', email: 'ada@example.com', phone: null,
  attributes: { first_name: 'Ada', last_name: 'Lovelace', plan: 'pro' }, score: 42, tags: ['sample'], consent: {}, unsubscribed: false, timezone: 'Europe/London', createdAt: new Date(0).toISOString(),
};

type Preview = Static<typeof PreviewRequest>;

/** Renders as the worker would; a template that does not render is a problem with its field, not an error. */
async function renderPreview(db: Db, render: Renderer, body: Preview) {
  const contact = body.contactId ? await getContact(db, body.contactId) : SAMPLE_CONTACT;
  if (!contact) throw new HttpProblem(404, 'Unknown contact', [{ path: '/contactId', message: `no contact has id ${body.contactId}` }]);
  let event: { id: string; type: string; properties: Record<string, unknown>; occurredAt: string } | null = body.event ? { id: 'sample', occurredAt: new Date().toISOString(), ...body.event } : null;
  if (!event && body.eventType && body.contactId) {
    const { rows } = await db.query<{ id: string; type: string; properties: Record<string, unknown>; occurred_at: Date }>(
      'SELECT id, type, properties, occurred_at FROM events WHERE contact_id = $1 AND type = $2 ORDER BY occurred_at DESC LIMIT 1',
      [body.contactId, body.eventType],
    );
    const row = rows[0];
    if (row) event = { id: row.id, type: row.type, properties: row.properties, occurredAt: row.occurred_at.toISOString() };
  }
  const scope = { contact, event, program: { id: 'preview', version: 0, name: body.programName ?? 'Preview' }, unsubscribeUrl: '#unsubscribe' };
  // A template the marketer is still typing is a normal state, not a failed request:
  // the answer says where it breaks, as field problems, with whatever did render.
  const problems: { path: string; message: string }[] = [];
  const attempt = (path: string, fn: () => string): string => {
    try {
      return fn();
    } catch (err) {
      problems.push({ path, message: (err as Error).message.split('\n').slice(0, 4).join('\n') });
      return '';
    }
  };
  const subject = attempt('/subject', () => render(body.subject, scope));
  const inner = attempt('/html', () => render(body.html, scope));
  const layout = body.layout ?? 'default';
  const html = layout === 'none' ? inner : attempt('/layout', () => render(`{{> layout-${layout} }}`, { ...scope, body: inner }));
  const text = body.text ? attempt('/text', () => render(body.text!, scope)) : inner.replace(/<(br|\/p|\/div|\/h[1-6]|\/li)\s*\/?>/gi, '\n').replace(/<[^>]+>/g, '').replace(/\n{3,}/g, '\n\n').trim();
  return { problems, subject, html, text, contact: { id: body.contactId ?? null, email: contact.email }, event: event && { type: event.type, occurredAt: event.occurredAt } };
}

export function previewRouter(db: Db, render: Renderer, mail: { mailer?: Mailer; mailFrom: string } = { mailFrom: 'Tend <tend@localhost>' }): Router {
  const r = router();
  r.post('/', route(async (req, res) => {
    res.json(await renderPreview(db, render, parseBody(PreviewRequest, req.body)));
  }));
  r.post('/send', route(async (req, res) => {
    const { to, ...body } = parseBody(TestSendRequest, req.body);
    const rendered = await renderPreview(db, render, body);
    if (rendered.problems.length) throw new HttpProblem(422, 'The email does not render', rendered.problems);
    if (!mail.mailer) throw new HttpProblem(503, 'No mail transport', [{ path: '/', message: 'Tend cannot send email here' }]);
    const subject = `[Test] ${rendered.subject}`;
    await mail.mailer.send({ from: mail.mailFrom, to, subject, html: rendered.html, text: rendered.text, messageId: `<test-${crypto.randomUUID()}@tend>`, headers: {} });
    res.json({ to, subject });
  }));
  return r;
}
