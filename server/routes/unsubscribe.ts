// The signed unsubscribe link from marketing mail: GET shows a confirmation page (so
// link scanners cannot opt people out), POST records the opt-out, and a POST with
// List-Unsubscribe=One-Click (RFC 8058) from a mailbox provider does so at once.
import express, { Router } from 'express';
import type { Db } from '../../engine/storage/db.js';
import { transaction } from '../../engine/storage/db.js';
import { appendEvent } from '../../engine/storage/events.js';
import { verifyUnsubscribeToken } from '../../engine/signing.js';
import { route } from '../problem.js';

const page = (title: string, body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1c1917}button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:0;background:#1c1917;color:#fff;cursor:pointer}</style></head>
<body>${body}</body></html>`;

export function unsubscribeRouter(db: Db, secret: string): Router {
  const r = Router();
  r.use(express.urlencoded({ extended: false, limit: '4kb' }));

  r.get('/:token', (req, res) => {
    const contactId = verifyUnsubscribeToken(secret, String(req.params.token));
    if (!contactId) return res.status(404).type('html').send(page('Link not valid', '<h1>This link is not valid</h1><p>It may have been copied incompletely.</p>'));
    res.type('html').send(page('Unsubscribe', `<h1>Unsubscribe</h1><p>You will no longer receive marketing email from us.</p><form method="post"><button type="submit">Unsubscribe</button></form>`));
  });

  r.post('/:token', route(async (req, res) => {
    const contactId = verifyUnsubscribeToken(secret, String(req.params.token));
    if (!contactId) return void res.status(404).type('html').send(page('Link not valid', '<h1>This link is not valid</h1>'));
    const oneClick = req.body?.['List-Unsubscribe'] === 'One-Click';
    await transaction(db, async (tx) => {
      const { rowCount } = await tx.query('UPDATE contacts SET unsubscribed_at = now(), updated_at = now() WHERE id = $1 AND unsubscribed_at IS NULL', [contactId]);
      if (rowCount) await appendEvent(tx, { contactId, type: 'tend.unsubscribed', source: 'tend', properties: { channel: 'email', method: oneClick ? 'one-click' : 'link' } });
    });
    if (oneClick) return void res.status(200).send('unsubscribed');
    res.type('html').send(page('Unsubscribed', '<h1>You are unsubscribed</h1><p>You will no longer receive marketing email from us.</p>'));
  }));
  return r;
}
