// Public form endpoints: the hosted page GET /f/:id (server-rendered, every value
// escaped), GET /f/:id/embed (the fields t.js renders into <div data-tend-form>), and
// POST /f/:id/submit, which takes the hosted page's form encoding or the embed's JSON.
// `vid` / `anonymousId` is the tracking cookie's visitor id: it picks the fields for
// progressive profiling and is merged into the contact on submit.
// Each load of either (GET, not the editor's ?preview) counts as a view of the form.
// Both kinds of form carry a honeypot: a text field people never see. A submission
// that fills it is answered like any other and stores nothing (engine/SECURITY.md).
import express, { type Router, type Request, type Response } from 'express';
import { router } from '../router.js';
import type { Db } from '../../engine/storage/db.js';
import { HttpProblem } from '../http-problem.js';
import type { FieldError } from '../../engine/ops/errors.js';
import { HOSTED_PAGE_FIELDS, checkSubmission, fieldsToShow, getForm, type Form, type FormField, type Submission } from '../../engine/audience/forms.js';
import { recordSubmission } from '../../engine/audience/form-submissions.js';
import { confirmEmail, confirmToken, requestConfirmation, verifyConfirmToken } from '../../engine/audience/double-opt-in.js';
import type { Mailer } from '../../engine/delivery/mailer.js';
import crypto from 'node:crypto';
import { ANONYMOUS_ID_PATTERN, knownVisitor } from '../../engine/audience/identity.js';
import { getContact } from '../../engine/storage/contacts.js';
import { countFormView } from '../../engine/storage/form-stats.js';
import type { Contact } from '../../engine/plugin/index.js';
import { route } from '../problem.js';
import { openCors, smallJson } from '../public-input.js';
import { isUuid } from '../../engine/ops/uuid.js';

const VISITOR = new RegExp(ANONYMOUS_ID_PATTERN);
const DEFAULT_THANKS = 'Thank you!';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1c1917}label{display:block;font-weight:600}input,select{display:block;width:100%;font:inherit;padding:.4rem;margin-top:.25rem}input[type=checkbox]{display:inline;width:auto}.error{color:#b91c1c;font-size:.9rem}button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:0;background:#1c1917;color:#fff;cursor:pointer}.hp{position:absolute;left:-10000px}</style></head>
<body>${body}</body></html>`;
}

function fieldHtml(f: FormField & { value?: string }, value: unknown, error?: string): string {
  const common = `name="${escape(f.name)}" id="f-${escape(f.name)}"${f.required ? ' required' : ''}${error ? ' aria-invalid="true"' : ''}`;
  let control: string;
  if (f.type === 'select') {
    control = `<select ${common}><option value=""></option>${f.options!.map((o) => `<option${o === value ? ' selected' : ''}>${escape(o)}</option>`).join('')}</select>`;
  } else if (f.type === 'checkbox') {
    control = `<input type="checkbox" value="true" ${common}${value === true || value === 'true' ? ' checked' : ''}>`;
  } else {
    const v = typeof value === 'string' ? value : f.value ?? '';
    control = `<input type="${f.type}" ${common} value="${escape(v)}"${f.pattern ? ` pattern="${escape(f.pattern)}"` : ''}>`;
  }
  return `<p><label for="f-${escape(f.name)}">${escape(f.label)}</label>${control}${error ? `<span class="error" data-error="${escape(f.name)}">${escape(error)}</span>` : ''}</p>`;
}

// Moved off-screen rather than display:none, which form-filling bots learn to skip; out
// of the tab order, hidden from screen readers and from autofill, so no person fills it.
const HONEYPOT_HTML = '<p class="hp" aria-hidden="true"><label>Leave this empty <input type="text" name="_comment" tabindex="-1" autocomplete="off"></label></p>';

function formHtml(form: Form, fields: (FormField & { value?: string })[], vid: string | undefined, values: Record<string, unknown> = {}, problems: FieldError[] = []): string {
  const errorOf = (name: string) => problems.find((p) => p.path === `/values/${name}`)?.message;
  return page(form.name, `<h1>${escape(form.name)}</h1>
<form method="post" action="/f/${form.id}/submit" novalidate>
${vid ? `<input type="hidden" name="_vid" value="${escape(vid)}">` : ''}<input type="hidden" name="_shown" value="${escape(fields.map((f) => f.name).join(','))}">
${fields.map((f) => fieldHtml(f, values[f.name], errorOf(f.name))).join('\n')}
${HONEYPOT_HTML}
<button type="submit">${escape(form.submitLabel ?? 'Submit')}</button>
</form>`);
}

async function loadForm(db: Db, raw: string): Promise<Form> {
  const form = isUuid(raw) ? await getForm(db, raw) : undefined;
  if (!form) throw new HttpProblem(404, 'Unknown form', [{ path: '/id', message: `no form has id ${raw}` }]);
  return form;
}

async function visitor(db: Db, vid: unknown): Promise<{ vid?: string; contact?: Contact }> {
  if (typeof vid !== 'string' || !VISITOR.test(vid)) return {};
  const id = await knownVisitor(db, vid);
  return { vid, contact: id ? await getContact(db, id) : undefined };
}

/**
 * Counts a view of the form. Not for the editor's preview of the hosted page (?preview=,
 * the marketer looking at their own form) nor for HEAD (nothing shown to anyone). A
 * count that fails is logged and the form served all the same: a view missing from a
 * figure costs less than a visitor who cannot sign up.
 */
async function countView(db: Db, form: Form, req: Request, res: Response): Promise<void> {
  if (req.method !== 'GET' || req.query.preview !== undefined) return;
  await countFormView(db, form.id).catch((err: unknown) => res.locals.log?.warn('form view not counted', { form: form.id, err }));
}

/** What the embed posts (JSON), as the API document states it; checked field by field below. */
export const FormSubmission = {
  type: 'object', required: ['values'], additionalProperties: false,
  properties: {
    values: { type: 'object', description: 'Field name → answer' },
    hidden: { type: 'object' },
    shown: { type: 'array', items: { type: 'string', pattern: '^[^\\u0000]*$' } },
    anonymousId: { type: 'string', pattern: ANONYMOUS_ID_PATTERN },
    page: { type: 'string', pattern: '^[^\\u0000]*$' },
    honeypot: { type: 'string', pattern: '^[^\\u0000]*$', description: 'The hidden field a person leaves empty' },
  },
} as const;

/**
 * The hosted page posts form-encoded fields plus _vid, _shown and the honeypot _comment;
 * the embed posts JSON, the honeypot's answer as `honeypot`.
 */
function readSubmission(req: Request): { submission: Submission; anonymousId?: string; page?: string; honeypot?: string; html: boolean } {
  const body = req.body;
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpProblem(400, 'Missing body', [{ path: '/', message: 'send the form fields, form-encoded or as JSON {values: {...}}' }]);
  if (req.is('application/x-www-form-urlencoded')) {
    // One rule for repeated fields: a form field (ours or the page's own) is sent once.
    // The parser turns `a=1&a=2` into a list; no field of a form takes one.
    const repeated = Object.entries(body as Record<string, unknown>).filter(([, v]) => Array.isArray(v)).map(([k]) => k);
    if (repeated.length) {
      throw new HttpProblem(422, 'Invalid submission', repeated.map((k) => ({ path: (HOSTED_PAGE_FIELDS as readonly string[]).includes(k) ? `/${k}` : `/values/${k}`, message: 'was sent more than once; send each field once' })));
    }
    const { _vid, _shown, _page, _comment, ...values } = body as Record<string, string>;
    return { submission: { values, shown: _shown ? _shown.split(',') : undefined }, anonymousId: _vid, page: _page, honeypot: _comment, html: true };
  }
  const problems: FieldError[] = Object.keys(body).filter((k) => !(k in FormSubmission.properties)).map((k) => ({ path: `/${k}`, message: 'is not a known field' }));
  const { values, hidden, shown, anonymousId, page: at, honeypot } = body as Record<string, unknown>;
  const isRecord = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isRecord(values)) problems.push({ path: '/values', message: 'must be an object of field name → answer' });
  if (hidden !== undefined && !isRecord(hidden)) problems.push({ path: '/hidden', message: 'must be an object' });
  if (shown !== undefined && !(Array.isArray(shown) && shown.every((s) => typeof s === 'string'))) problems.push({ path: '/shown', message: 'must be a list of field names' });
  if (anonymousId !== undefined && !(typeof anonymousId === 'string' && VISITOR.test(anonymousId))) problems.push({ path: '/anonymousId', message: `must match ${ANONYMOUS_ID_PATTERN}` });
  if (at !== undefined && typeof at !== 'string') problems.push({ path: '/page', message: 'must be a URL' });
  if (honeypot !== undefined && typeof honeypot !== 'string') problems.push({ path: '/honeypot', message: 'must be text (the hidden field, left empty)' });
  if (problems.length) throw new HttpProblem(422, 'Invalid submission', problems);
  return { submission: { values: values as Record<string, unknown>, hidden: hidden as Record<string, unknown>, shown: shown as string[] }, anonymousId: anonymousId as string | undefined, page: (at as string | undefined)?.slice(0, 2000), honeypot: honeypot as string | undefined, html: false };
}

/** What a double opt-in form needs to send its confirmation. */
export interface ConfirmationMail { mailer?: Mailer; mailFrom: string; secret: string; publicUrl: () => string }

/** Emails the signed confirmation link; a failure is logged and the submission stands (they may submit again). */
async function sendConfirmation(mail: ConfirmationMail, to: string, contactId: string, res: Response): Promise<void> {
  if (!mail.mailer) return;
  const link = `${mail.publicUrl().replace(/\/$/, '')}/confirm/${confirmToken(mail.secret, contactId)}`;
  await mail.mailer.send({
    from: mail.mailFrom, to, subject: 'Please confirm your subscription', messageId: `<confirm-${crypto.randomUUID()}@tend>`, headers: {},
    text: `Please confirm that you want our emails: ${link}\n\nIf you did not ask for them, ignore this email: you will not hear from us.`,
    html: `<p>Please confirm that you want our emails.</p><p><a href="${escape(link)}">Yes, subscribe me</a></p><p>If you did not ask for them, ignore this email: you will not hear from us.</p>`,
  }).catch((err: unknown) => res.locals.log?.error('confirmation email not sent', { err, contact: contactId }));
}

export function formPagesRouter(db: Db, onStored: () => void, confirmation?: ConfirmationMail): Router {
  const r = router();

  r.get('/f/:id', route(async (req, res) => {
    const form = isUuid(String(req.params.id)) ? await getForm(db, String(req.params.id)) : undefined;
    if (!form) return void res.status(404).type('html').send(page('Form not found', '<h1>This form does not exist</h1>'));
    const { vid, contact } = await visitor(db, req.query.vid);
    await countView(db, form, req, res);
    res.type('html').send(formHtml(form, fieldsToShow(form, contact), vid));
  }));

  r.use('/f/:id/embed', openCors);
  r.get('/f/:id/embed', route(async (req, res) => {
    const form = await loadForm(db, String(req.params.id));
    const { contact } = await visitor(db, req.query.vid);
    await countView(db, form, req, res);
    res.set('cache-control', 'no-store').json({ id: form.id, name: form.name, fields: fieldsToShow(form, contact), hidden: form.hidden ?? {}, submitLabel: form.submitLabel ?? 'Submit' });
  }));

  r.use('/f/:id/submit', openCors);
  r.post('/f/:id/submit', express.urlencoded({ extended: false, limit: '32kb' }), ...smallJson('32kb'), route(async (req, res) => {
    const form = await loadForm(db, String(req.params.id));
    const { submission, anonymousId, page: at, honeypot, html } = readSubmission(req);
    if (honeypot) {
      // Before the answers are checked: a bot learns nothing from a 422 either.
      res.locals.log?.info('form honeypot filled; nothing stored', { form: form.id });
      return thank(res, form, html);
    }
    const vid = anonymousId && VISITOR.test(anonymousId) ? anonymousId : undefined;
    const { answers, hidden, problems } = checkSubmission(form, submission);
    if (problems.length) {
      if (!html) throw new HttpProblem(422, 'Invalid submission', problems);
      // The hosted page again, with what was typed and a message under each field.
      const shown = form.fields.filter((f) => !submission.shown || submission.shown.includes(f.name) || f.name === 'email');
      return void res.status(422).type('html').send(formHtml(form, shown, vid, submission.values, problems));
    }
    // Double opt-in needs a way to send the link; without one the form works as a plain one.
    const confirming = form.doubleOptIn && confirmation?.mailer ? confirmation : undefined;
    const { contactId, existed } = await recordSubmission(db, form, { answers, hidden, anonymousId: vid, page: at });
    if (confirming && (await requestConfirmation(db, contactId, form.id, existed))) await sendConfirmation(confirming, String(answers.email), contactId, res);
    onStored();
    thank(res, form, html);
  }));
  // The confirmation link: GET shows a button (a link scanner opening it confirms
  // nothing); POST confirms.
  r.use('/confirm', express.urlencoded({ extended: false, limit: '1kb' }));
  r.get('/confirm/:token', route(async (req, res) => {
    const contactId = confirmation && verifyConfirmToken(confirmation.secret, String(req.params.token));
    if (!contactId) return void res.status(404).type('html').send(page('Link not valid', '<h1>This link is not valid</h1><p>It may have been copied incompletely.</p>'));
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).type('html').send(page('Confirm your subscription', '<h1>One more step</h1><p>Confirm that you want our emails.</p><form method="post"><button type="submit">Yes, subscribe me</button></form>'));
  }));
  r.post('/confirm/:token', route(async (req, res) => {
    const contactId = confirmation && verifyConfirmToken(confirmation.secret, String(req.params.token));
    if (!contactId || !(await confirmEmail(db, contactId))) return void res.status(404).type('html').send(page('Link not valid', '<h1>This link is not valid</h1><p>It may have been copied incompletely.</p>'));
    onStored();
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).type('html').send(page('Subscribed', '<h1>Thank you</h1><p>You are subscribed. Every email has a link to change your mind.</p>'));
  }));
  return r;
}

/** The answer to a submission taken: the thank-you (JSON for the embed, a page) or the form's redirect. */
function thank(res: Response, form: Form, html: boolean): void {
  const message = form.thankYou ?? DEFAULT_THANKS;
  if (!html) return void res.json({ message, redirect: form.redirectUrl ?? null });
  if (form.redirectUrl) return void res.redirect(303, form.redirectUrl);
  res.type('html').send(page(form.name, `<h1 data-tend-thanks>${escape(message)}</h1>`));
}
