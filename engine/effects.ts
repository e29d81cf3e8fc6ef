// The effects a node visit may have, each applied at most once per idempotency key:
// contact changes and score under `applied_effects`, sends and webhook calls under
// `messages`. A retried activity finds what the first attempt did and repeats nothing.
import crypto from 'node:crypto';
import type { Db } from './storage/db.js';
import { transaction } from './storage/db.js';
import { applyOperations, getContact } from './storage/contacts.js';
import { appendEvent } from './storage/events.js';
import type { Contact, Effects, EmailMessage, HttpRequest, HttpResponse, SendResult } from './plugin.js';
import type { Mailer } from './mailer.js';
import { NotRetryableError } from './plugin.js';

export interface EffectDeps {
  db: Db;
  mailer: Mailer;
  mailFrom: string;
  unsubscribeUrl(contactId: string): string;
}

export interface VisitIdentity {
  key: string;
  contactId: string;
  enrollmentId: string | null;
  programId: string | null;
  nodeId: string | null;
}

const MAX_RESPONSE_BODY = 64 * 1024;

export function createEffects(deps: EffectDeps, visit: VisitIdentity): Effects {
  let calls = 0;
  const nextKey = (kind: string) => `${visit.key}#${++calls}:${kind}`;
  const { db } = deps;

  /** Runs `apply` unless this key was applied before; returns whether it ran. */
  async function once<T>(key: string, apply: (tx: import('pg').PoolClient) => Promise<T>): Promise<T | undefined> {
    return transaction(db, async (tx) => {
      const fresh = await tx.query('INSERT INTO applied_effects (key) VALUES ($1) ON CONFLICT DO NOTHING RETURNING key', [key]);
      if (fresh.rowCount === 0) return undefined;
      return apply(tx);
    });
  }

  return {
    async updateContact(ops) {
      const key = nextKey('contact');
      const updated = await once(key, async (tx) => {
        const c = await applyOperations(tx, visit.contactId, ops);
        await appendEvent(tx, { contactId: visit.contactId, type: 'tend.contact_updated', source: 'tend', properties: { operations: ops, programId: visit.programId, nodeId: visit.nodeId } });
        return c;
      });
      return updated ?? ((await getContact(db, visit.contactId)) as Contact);
    },

    async changeScore(delta, reason) {
      const key = nextKey('score');
      const score = await once(key, async (tx) => {
        const { rows } = await tx.query<{ score: number }>('UPDATE contacts SET score = score + $2, updated_at = now() WHERE id = $1 RETURNING score', [visit.contactId, delta]);
        await appendEvent(tx, { contactId: visit.contactId, type: 'tend.score_changed', source: 'tend', properties: { delta, reason, score: rows[0].score, programId: visit.programId, nodeId: visit.nodeId } });
        return rows[0].score;
      });
      return score ?? ((await getContact(db, visit.contactId)) as Contact).score;
    },

    async sendEmail(message: EmailMessage): Promise<SendResult> {
      const key = nextKey('email');
      const contact = await getContact(db, visit.contactId);
      if (!contact) throw new NotRetryableError(`contact ${visit.contactId} no longer exists`);
      const skip = !contact.email ? 'no email address' : message.marketing && contact.unsubscribed ? 'unsubscribed' : undefined;
      const claimed = await db.query<{ status: string; reason: string | null; id: string }>(
        `INSERT INTO messages (idempotency_key, channel, contact_id, enrollment_id, program_id, node_id, recipient, subject, status, reason)
         VALUES ($1, 'email', $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (idempotency_key) DO UPDATE SET attempts = messages.attempts + 1
         RETURNING status, reason, id`,
        [key, contact.id, visit.enrollmentId, visit.programId, visit.nodeId, contact.email, message.subject, skip ? 'skipped' : 'sending', skip ?? null],
      );
      const row = claimed.rows[0];
      const messageId = `<${crypto.createHash('sha256').update(key).digest('hex').slice(0, 32)}@tend>`;
      if (row.status === 'sent') return { status: 'sent', messageId };
      if (row.status === 'skipped' || row.status === 'failed') return { status: row.status, reason: row.reason ?? '' };
      // Status 'sending': either the first try, or a try that died before the SMTP
      // server accepted the message (an unaccepted message is not delivered). The
      // Message-ID is derived from the key, so a receiver can drop a duplicate from
      // the one window left: accepted, then killed before the row below was written.
      const headers: Record<string, string> = { 'X-Tend-Message': row.id };
      let html = message.html;
      let text = message.text;
      if (message.marketing) {
        const url = deps.unsubscribeUrl(contact.id);
        headers['List-Unsubscribe'] = `<${url}>`;
        headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
        if (!html.includes(url)) {
          const footer = `<p style="font-size:12px;color:#78716c"><a href="${url}">Unsubscribe</a></p>`;
          html = html.includes('</body>') ? html.replace('</body>', `${footer}</body>`) : html + footer;
        }
        if (!text.includes(url)) text += `\n\nUnsubscribe: ${url}`;
      }
      try {
        const info = await deps.mailer.send({ from: message.from ?? deps.mailFrom, to: contact.email!, subject: message.subject, html, text, replyTo: message.replyTo, messageId, headers });
        await db.query("UPDATE messages SET status = 'sent', sent_at = now(), response = $2 WHERE id = $1", [row.id, JSON.stringify({ messageId, response: info.response })]);
        return { status: 'sent', messageId };
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        if (code && code >= 500) {
          await db.query("UPDATE messages SET status = 'failed', reason = $2 WHERE id = $1", [row.id, (err as Error).message]);
          return { status: 'failed', reason: (err as Error).message };
        }
        throw err;
      }
    },

    async http(request: HttpRequest): Promise<HttpResponse> {
      const key = nextKey('http');
      const claimed = await db.query<{ status: string; response: HttpResponse | null; id: string }>(
        `INSERT INTO messages (idempotency_key, channel, contact_id, enrollment_id, program_id, node_id, recipient, status)
         VALUES ($1, 'webhook', $2, $3, $4, $5, $6, 'sending')
         ON CONFLICT (idempotency_key) DO UPDATE SET attempts = messages.attempts + 1
         RETURNING status, response, id`,
        [key, visit.contactId, visit.enrollmentId, visit.programId, visit.nodeId, `${request.method} ${request.url}`],
      );
      const row = claimed.rows[0];
      if ((row.status === 'sent' || row.status === 'failed') && row.response) return row.response;
      const res = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(request.timeoutMs ?? 30000),
        redirect: 'manual',
      });
      const body = (await res.text()).slice(0, MAX_RESPONSE_BODY);
      const response: HttpResponse = { status: res.status, headers: Object.fromEntries(res.headers.entries()), body };
      // A 5xx is retried, so it is not the final word; anything else is.
      const final = res.status < 500 && res.status !== 429;
      await db.query(
        `UPDATE messages SET status = $2, sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END, response = $3, reason = $4 WHERE id = $1`,
        [row.id, final ? (res.status < 400 ? 'sent' : 'failed') : 'sending', JSON.stringify(response), final ? null : `HTTP ${res.status}`],
      );
      return response;
    },
  };
}
