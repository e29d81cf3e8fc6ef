// The hosted preference page behind every marketing email's unsubscribe link: the
// contact leaves or rejoins single topics, or all marketing email. The signed token in
// the URL is the only credential (the unsubscribe token: a link from an email keeps
// working). Everything shown is escaped: topic names and the address are data.
// GET never changes anything, so link scanners opt nobody out; a POST with
// `List-Unsubscribe=One-Click` (RFC 8058) unsubscribes from all at once.
import express, { type Router, type Response } from 'express';
import { router } from '../router.js';
import type { Db } from '../../engine/storage/db.js';
import { transaction } from '../../engine/storage/db.js';
import { getContact } from '../../engine/storage/contacts.js';
import { verifyUnsubscribeToken } from '../../engine/delivery/signing.js';
import { listTopics, topicChoices, type Topic } from '../../engine/audience/topics.js';
import type { Contact } from '../../engine/plugin/index.js';
import { resubscribe, setTopicChoices, unsubscribeAll } from '../../engine/audience/preferences.js';
import { route } from '../problem.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A small self-contained page; `title` is escaped here, `body` must be escaped by the caller. */
export function hostedPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1c1917}button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:0;background:#1c1917;color:#fff;cursor:pointer}
fieldset{border:1px solid #d6d3d1;border-radius:6px;margin:0 0 1rem;padding:1rem}label{display:block;margin:.5rem 0}small{color:#57534e}.note{background:#ecfccb;padding:.5rem 1rem;border-radius:6px}form{margin:1rem 0}</style></head>
<body>${body}</body></html>`;
}

/** Pages carrying the token: not cached, not indexed, and the token not leaked as a referrer. */
export function sendPage(res: Response, status: number, title: string, body: string): void {
  res.status(status).set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).type('html').send(hostedPage(title, body));
}

export const invalidLink = (res: Response) => sendPage(res, 404, 'Link not valid', '<h1>This link is not valid</h1><p>It may have been copied incompletely.</p>');

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

/**
 * The page's content for a contact: their topics to keep or leave and "unsubscribe from
 * all", or "subscribe again" once they left all. The Messages screen previews it for a
 * sample contact (GET /api/preference-page/preview).
 */
export function preferencePageBody(contact: Pick<Contact, 'email' | 'unsubscribed' | 'consent'>, topics: Topic[], saved = false): string {
  const intro = `<h1>Email preferences</h1>${contact.email ? `<p>For <strong>${escapeHtml(contact.email)}</strong></p>` : ''}${saved ? '<p class="note" role="status">Your choices are saved.</p>' : ''}`;
  if (contact.unsubscribed || contact.consent.email === false) {
    return `${intro}<p>You are unsubscribed from all marketing email.</p>
<form method="post"><input type="hidden" name="action" value="resubscribe"><button type="submit">Subscribe again</button></form>`;
  }
  const choices = topicChoices(contact);
  const boxes = topics.map((t) => `<label><input type="checkbox" name="topic" value="${escapeHtml(t.key)}"${choices[t.key] === false ? '' : ' checked'}> <strong>${escapeHtml(t.name)}</strong>${t.description ? `<br><small>${escapeHtml(t.description)}</small>` : ''}<input type="hidden" name="shown" value="${escapeHtml(t.key)}"></label>`).join('\n');
  const topicForm = topics.length
    ? `<form method="post" action=""><input type="hidden" name="action" value="topics"><fieldset><legend>Email me about</legend>\n${boxes}\n</fieldset><button type="submit">Save my choices</button></form>`
    : '';
  // The unsubscribe-all form carries no fields: a bare POST means "unsubscribe from all", as it always has.
  return `${intro}${topicForm}<p>Or stop all marketing email from us:</p>
<form method="post"><button type="submit">Unsubscribe from all</button></form>`;
}

export function preferencesRouter(db: Db, secret: string): Router {
  const r = router();
  r.use(express.urlencoded({ extended: false, limit: '16kb' }));

  r.get('/:token', route(async (req, res) => {
    const contactId = verifyUnsubscribeToken(secret, String(req.params.token));
    const contact = contactId ? await getContact(db, contactId) : undefined;
    if (!contact) return invalidLink(res);
    sendPage(res, 200, 'Email preferences', preferencePageBody(contact, await listTopics(db), req.query.saved === '1'));
  }));

  r.post('/:token', route(async (req, res) => {
    const token = String(req.params.token);
    const contactId = verifyUnsubscribeToken(secret, token);
    if (!contactId || !(await getContact(db, contactId))) return invalidLink(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body['List-Unsubscribe'] === 'One-Click') {
      await transaction(db, (tx) => unsubscribeAll(tx, contactId, 'one-click'));
      return void res.status(200).type('text').send('unsubscribed');
    }
    // A bare POST (the unsubscribe-all form has no fields) leaves all marketing, as the old link page did.
    const action = body.action ?? 'unsubscribe';
    if (action !== 'topics' && action !== 'resubscribe' && action !== 'unsubscribe') {
      return sendPage(res, 400, 'Not understood', '<h1>That did not work</h1><p>Please open the link from the email again.</p>');
    }
    if (action === 'topics') {
      // Only topics the page showed change: one added since it was opened stays as it was.
      const active = new Set((await listTopics(db)).map((t) => t.key));
      const checked = new Set(asList(body.topic));
      const choices = Object.fromEntries(asList(body.shown).filter((k) => active.has(k)).map((k) => [k, checked.has(k)]));
      await transaction(db, (tx) => setTopicChoices(tx, contactId, choices));
    } else if (action === 'resubscribe') {
      await transaction(db, (tx) => resubscribe(tx, contactId));
    } else {
      await transaction(db, (tx) => unsubscribeAll(tx, contactId, 'preference-page'));
    }
    // Post/redirect/get: a reload does not post again.
    res.redirect(303, `${req.baseUrl}/${encodeURIComponent(token)}?saved=1`);
  }));
  return r;
}
