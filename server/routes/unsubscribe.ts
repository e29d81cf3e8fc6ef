// The unsubscribe URL of marketing mail (the List-Unsubscribe header and the footer
// link). Opening it leads to the preference page, where the contact may leave single
// topics or all marketing; a POST here unsubscribes from all at once — the link page
// of old and RFC 8058 one-click (`List-Unsubscribe=One-Click`) from mailbox providers.
import express, { type Router } from 'express';
import { router } from '../router.js';
import type { Db } from '../../engine/storage/db.js';
import { transaction } from '../../engine/storage/db.js';
import { getContact } from '../../engine/storage/contacts.js';
import { verifyUnsubscribeToken } from '../../engine/delivery/signing.js';
import { unsubscribeAll } from '../../engine/audience/preferences.js';
import { route } from '../problem.js';
import { invalidLink, sendPage } from './preferences.js';

export function unsubscribeRouter(db: Db, secret: string): Router {
  const r = router();
  r.use(express.urlencoded({ extended: false, limit: '4kb' }));

  r.get('/:token', (req, res) => {
    const token = String(req.params.token);
    if (!verifyUnsubscribeToken(secret, token)) return invalidLink(res);
    res.set('Referrer-Policy', 'no-referrer').redirect(303, `../preferences/${encodeURIComponent(token)}`);
  });

  r.post('/:token', route(async (req, res) => {
    const contactId = verifyUnsubscribeToken(secret, String(req.params.token));
    if (!contactId || !(await getContact(db, contactId))) return invalidLink(res);
    const oneClick = req.body?.['List-Unsubscribe'] === 'One-Click';
    await transaction(db, (tx) => unsubscribeAll(tx, contactId, oneClick ? 'one-click' : 'link'));
    if (oneClick) return void res.status(200).type('text').send('unsubscribed');
    sendPage(res, 200, 'Unsubscribed', '<h1>You are unsubscribed</h1><p>You will no longer receive marketing email from us.</p>');
  }));
  return r;
}
