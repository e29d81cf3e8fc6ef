// /o/:token (open pixel) and /c/:token (tracked link): public, no key, nothing to read.
// A link to a tracked site (see engine/access/site-keys.ts) gets a short-lived signed `tend_c`
// parameter, so the landing page's t.js can identify the browser as this contact.
// Each records an event on the contact's timeline tied to the message and the program
// node that sent it — `email_opened`, `email_clicked` — which programs and scoring rules
// see like any event. A token that was not signed by Tend gets a 404 and records nothing.
import type { Router } from 'express';
import { router } from '../router.js';
import type { Db } from '../../engine/storage/db.js';
import { transaction } from '../../engine/storage/db.js';
import { appendEvent } from '../../engine/storage/events.js';
import { verifyClick, verifyOpen, visitToken } from '../../engine/delivery/engagement.js';
import { isTrackedHost } from '../../engine/access/site-keys.js';
import { route } from '../problem.js';

const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

interface MessageRow {
  id: string;
  contact_id: string;
  enrollment_id: string | null;
  program_id: string | null;
  node_id: string | null;
  links: string[] | null;
}

export function engagementRouter(db: Db, secret: string): Router {
  const r = router();

  /** Links to a tracked site (a site key lists its host) carry the signed visit token for t.js. */
  async function withVisitToken(url: string, contactId: string): Promise<string> {
    const target = new URL(url);
    if (!(await isTrackedHost(db, target.hostname))) return url;
    target.searchParams.set('tend_c', visitToken(secret, contactId));
    return target.toString();
  }

  async function record(messageId: string, type: 'email_opened' | 'email_clicked', extra: Record<string, unknown>, column: 'first_opened_at' | 'first_clicked_at') {
    return transaction(db, async (tx) => {
      const m = (await tx.query<MessageRow>(`UPDATE messages SET ${column} = coalesce(${column}, now()) WHERE id = $1 RETURNING id, contact_id, enrollment_id, program_id, node_id, links`, [messageId])).rows[0];
      if (!m) return undefined;
      await appendEvent(tx, {
        contactId: m.contact_id,
        type,
        source: 'tend',
        dispatch: true,
        properties: { messageId: m.id, programId: m.program_id, nodeId: m.node_id, enrollmentId: m.enrollment_id, ...extra },
      });
      return m;
    });
  }

  r.get('/o/:token', route(async (req, res) => {
    const messageId = verifyOpen(secret, String(req.params.token));
    if (messageId) await record(messageId, 'email_opened', {}, 'first_opened_at');
    // Always the pixel: a broken image tells nobody anything, and mail clients show none.
    res.set({ 'content-type': 'image/gif', 'cache-control': 'no-store, max-age=0' }).send(PIXEL);
  }));

  r.get('/c/:token', route(async (req, res) => {
    const click = verifyClick(secret, String(req.params.token));
    if (!click) return void res.status(404).type('text/plain').send('This link is not valid.');
    const m = (await db.query<MessageRow>('SELECT id, links FROM messages WHERE id = $1', [click.messageId])).rows[0];
    const url = m?.links?.[click.link];
    if (!url) return void res.status(404).type('text/plain').send('This link is not valid.');
    const message = await record(click.messageId, 'email_clicked', { url, link: click.link }, 'first_clicked_at');
    res.redirect(302, message ? await withVisitToken(url, message.contact_id) : url);
  }));
  return r;
}
