// The effects a node visit may have, each applied at most once per idempotency key:
// contact changes and score under `applied_effects`, sends and webhook calls under
// `messages`. A retried activity finds what the first attempt did and repeats nothing.
import { changeScore as changeScoreOf } from '../audience/scoring.js';
import crypto from 'node:crypto';
import type { Db } from '../storage/db.js';
import { recordDone, transaction } from '../storage/db.js';
import { applyOperations, getContact } from '../storage/contacts.js';
import { appendEvent } from '../storage/events.js';
import { appliedResult, claimEffectKey, nextSequenceValue, recordAppliedResult } from '../storage/effects.js';
import {
  claimWebhookMessage, findClaimedMessage, insertClaimedMessage, markMessageFailed, markMessageSent, noteMessageReason, recordWebhookAnswer,
  setMessageConnected, setMessageLinks, type ClaimedMessage,
} from '../storage/messages.js';
import type { Contact, Effects, EmailMessage, HttpRequest, HttpResponse, SendResult, SmsMessage } from '../plugin/index.js';
import type { Mailer } from './mailer.js';
import { NotRetryableError } from '../plugin/index.js';
import { decide, readPolicy, type Decision, type Intent } from './channel-policy.js';
import { SmsRejectedError, type SmsProvider } from './sms.js';
import { instrument, type Tracking } from './engagement.js';
import { createOutbound, RefusedTargetError, type Outbound } from './outbound.js';

export interface EffectDeps {
  db: Db;
  mailer: Mailer;
  mailFrom: string;
  unsubscribeUrl(contactId: string): string;
  sms?: SmsProvider;
  /** Open pixel and click tracking of emails; off when absent. */
  tracking?: Tracking;
  /** Outbound HTTP with the SSRF guard; absent: no private target is allowed. */
  outbound?: Outbound;
}

/** A new message row's id, chosen before the claim, and its tracked links when it will be sent. */
interface NewMessage {
  id: string;
  links?: string[];
}

/** What an already-decided message means to the node that asked for it. */
function settled(row: ClaimedMessage, messageId: string): SendResult | undefined {
  if (row.status === 'sent') return { status: 'sent', messageId };
  if (row.status === 'skipped' || row.status === 'failed') return { status: row.status, reason: row.reason ?? '' };
  if (row.status === 'deferred') return { status: 'deferred', until: row.deferred_until!.toISOString(), reason: row.reason ?? '' };
  return undefined;
}

export interface VisitIdentity {
  key: string;
  contactId: string;
  enrollmentId: string | null;
  programId: string | null;
  nodeId: string | null;
}

const MAX_RESPONSE_BODY = 64 * 1024;

/** What a visit's effects did that the activity running the node needs to know. */
export interface VisitTracker {
  /** Ids of this visit's messages still `sending` (claimed, not answered for good): closed as failed if the node goes on without a final answer. */
  unsettled: Set<string>;
  /** The contact's fields, tags or score changed: the next node of the step reads it again (unless `contact` says how it is now). */
  contactChanged: boolean;
  /**
   * The contact as this visit last knew it: as the node began, then as each of its
   * changes left it (cleared when a change does not say, e.g. a score change). Sends
   * and the next node of the step use it rather than reading the contact again.
   */
  contact?: Contact;
}

export function createEffects(deps: EffectDeps, visit: VisitIdentity, tracker?: VisitTracker): Effects {
  const unsettled = tracker?.unsettled;
  // Numbered per kind, not overall: a retry that skips a contact update it already
  // made (its data now says so) still gives its send the key the first try used.
  const calls = new Map<string, number>();
  const nextKey = (kind: string) => {
    const n = (calls.get(kind) ?? 0) + 1;
    calls.set(kind, n);
    return `${visit.key}#${n}:${kind}`;
  };
  const { db } = deps;
  const outbound = deps.outbound ?? createOutbound();
  /** A send's place under the channel's ceiling outlives its visit (a deferred send comes back as the next visit of the node). */
  const placeKeyOf = (channel: string) => (visit.enrollmentId && visit.nodeId ? `ceiling:${visit.enrollmentId}:${visit.nodeId}:${channel}#${calls.get(channel) ?? 1}` : undefined);

  /** Runs `apply` unless this key was applied before; returns whether it ran. */
  async function once<T>(key: string, apply: (tx: import('pg').PoolClient) => Promise<T>): Promise<T | undefined> {
    return transaction(db, async (tx) => {
      if (!(await claimEffectKey(tx, key))) return undefined;
      return apply(tx);
    });
  }

  /**
   * Records the message under its idempotency key with the channel policy's decision,
   * or finds the record a previous attempt made (whose decision then stands).
   */
  async function claim(key: string, contact: Contact, channel: string, recipient: string | null, subject: string | null, intent: Intent | null, missing: string, fresh: NewMessage = { id: crypto.randomUUID() }): Promise<ClaimedMessage> {
    return transaction(db, async (tx) => {
      const existing = await findClaimedMessage(tx, key);
      if (existing) return existing;
      const decision: Decision = !recipient ? { action: 'skip', reason: missing } : intent ? await decide(tx, contact, intent, await readPolicy(tx)) : { action: 'send' };
      const status = decision.action === 'send' ? 'sending' : decision.action === 'skip' ? 'skipped' : 'deferred';
      return insertClaimedMessage(tx, {
        key, channel, contactId: contact.id, enrollmentId: visit.enrollmentId, programId: visit.programId, nodeId: visit.nodeId, recipient, subject, status,
        reason: decision.action === 'send' ? null : decision.reason, marketing: intent?.marketing ?? false, deferredUntil: decision.action === 'defer' ? decision.until : null,
        topic: intent?.topic ?? null, id: fresh.id, links: fresh.links,
      });
    });
  }

  /** Why the last try of a message that stays `sending` did not get an answer (kept for when the node gives up). */
  async function noteReason(id: string, err: unknown): Promise<void> {
    await noteMessageReason(db, id, String((err as Error)?.message ?? err).slice(0, 500)).catch(() => undefined);
  }

  return {
    async updateContact(ops) {
      const key = nextKey('contact');
      if (tracker) tracker.contactChanged = true;
      const updated = await once(key, async (tx) => {
        return applyOperations(tx, visit.contactId, ops, { programId: visit.programId, nodeId: visit.nodeId });
      });
      const after = updated ?? ((await getContact(db, visit.contactId)) as Contact);
      if (tracker) tracker.contact = after;
      return after;
    },

    async changeScore(delta, reason) {
      const key = nextKey('score');
      if (tracker) tracker.contactChanged = true;
      if (tracker) tracker.contact = undefined;
      const score = await once(key, (tx) => changeScoreOf(tx, visit.contactId, delta, reason, { programId: visit.programId, nodeId: visit.nodeId }));
      return score ?? ((await getContact(db, visit.contactId)) as Contact).score;
    },

    async sendEmail(message: EmailMessage): Promise<SendResult> {
      const key = nextKey('email');
      const contact = tracker?.contact ?? await getContact(db, visit.contactId);
      if (!contact) throw new NotRetryableError(`contact ${visit.contactId} no longer exists`);
      if (message.to && message.marketing) throw new NotRetryableError('marketing email goes to the contact; `to` is for internal notifications');
      const recipient = message.to ?? contact.email;
      const intent: Intent | null = message.to ? null : { channel: 'email', marketing: message.marketing, whenCapped: message.whenCapped ?? 'skip', topic: message.marketing ? message.topic : undefined, placeKey: placeKeyOf('email') };
      // Only mail to the contact is tracked: an owner opening a notification is not the lead engaging.
      const track = deps.tracking && !message.to ? deps.tracking : undefined;
      let html = message.html;
      let text = message.text;
      const headers: Record<string, string> = {};
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
      // The row's id is chosen here, so its tracked links are stored with the claim (one
      // write less) and are in the database before the mail can be opened.
      const fresh: NewMessage = { id: crypto.randomUUID() };
      const firstTry = track ? instrument(html, fresh.id, track) : undefined;
      fresh.links = firstTry?.links;
      const row = await claim(key, contact, 'email', recipient, message.subject, intent, 'no email address', fresh);
      if (message.connected?.length) await setMessageConnected(db, row.id, message.connected);
      const messageId = `<${crypto.createHash('sha256').update(key).digest('hex').slice(0, 32)}@tend>`;
      const done = settled(row, messageId);
      if (done) return done;
      unsettled?.add(row.id);
      // Status 'sending': either the first try, or a try that died before the SMTP
      // server accepted the message (an unaccepted message is not delivered). The
      // Message-ID is derived from the key, so a receiver can drop a duplicate from
      // the one window left: accepted, then killed before the row below was written.
      headers['X-Tend-Message'] = row.id;
      if (track) {
        // The same row on a retry gives the same tokens: a retried send is the same email.
        const tracked = row.id === fresh.id ? firstTry! : instrument(html, row.id, track);
        html = tracked.html;
        // A row claimed without links (deferred, or claimed by an older Tend) gets them now.
        if (!row.has_links) await setMessageLinks(db, row.id, tracked.links);
      }
      try {
        const info = await deps.mailer.send({ from: message.from ?? deps.mailFrom, to: recipient!, subject: message.subject, html, text, replyTo: message.replyTo, messageId, headers });
        await recordDone(() => markMessageSent(db, row.id, { messageId, response: info.response }));
        unsettled?.delete(row.id);
        return { status: 'sent', messageId };
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        if (code && code >= 500) {
          await recordDone(() => markMessageFailed(db, row.id, (err as Error).message));
          unsettled?.delete(row.id);
          return { status: 'failed', reason: (err as Error).message };
        }
        await noteReason(row.id, err);
        throw err;
      }
    },

    async sendSms(message: SmsMessage): Promise<SendResult> {
      const key = nextKey('sms');
      const contact = tracker?.contact ?? await getContact(db, visit.contactId);
      if (!contact) throw new NotRetryableError(`contact ${visit.contactId} no longer exists`);
      if (!deps.sms) throw new NotRetryableError('no SMS provider is configured (TEND_SMS_PROVIDER)');
      const intent: Intent = { channel: 'sms', marketing: message.marketing, whenCapped: message.whenCapped ?? 'skip', placeKey: placeKeyOf('sms') };
      const row = await claim(key, contact, 'sms', contact.phone, null, intent, 'no phone number');
      const done = settled(row, row.id);
      if (done) return done;
      unsettled?.add(row.id);
      try {
        const sent = await deps.sms.send({ to: contact.phone!, body: message.body, idempotencyKey: key });
        await recordDone(() => markMessageSent(db, row.id, sent));
        unsettled?.delete(row.id);
        return { status: 'sent', messageId: sent.id };
      } catch (err) {
        if (err instanceof SmsRejectedError) {
          await recordDone(() => markMessageFailed(db, row.id, err.message));
          unsettled?.delete(row.id);
          return { status: 'failed', reason: err.message };
        }
        await noteReason(row.id, err);
        throw err; // the provider was unreachable or overloaded: Temporal retries
      }
    },

    async recordEvent(type, properties = {}) {
      const key = nextKey('event');
      await once(key, (tx) => appendEvent(tx, { contactId: visit.contactId, type, source: 'tend', dispatch: true, properties: { ...properties, recordedBy: { programId: visit.programId, nodeId: visit.nodeId } } }));
    },

    async sequence(name) {
      const key = nextKey('sequence');
      return transaction(db, async (tx) => {
        const done = await appliedResult(tx, key);
        if (done) return Number(done.result);
        const value = await nextSequenceValue(tx, name);
        await recordAppliedResult(tx, key, value);
        return value;
      });
    },

    async http(request: HttpRequest): Promise<HttpResponse> {
      const key = nextKey('http');
      const row = await claimWebhookMessage<HttpResponse>(db, {
        key, contactId: visit.contactId, enrollmentId: visit.enrollmentId, programId: visit.programId, nodeId: visit.nodeId, recipient: `${request.method} ${request.url}`,
      });
      if ((row.status === 'sent' || row.status === 'failed') && row.response) return row.response;
      unsettled?.add(row.id);
      let response: HttpResponse;
      try {
        response = await outbound.request({ method: request.method, url: request.url, headers: request.headers, body: request.body, timeoutMs: request.timeoutMs, maxBodyBytes: MAX_RESPONSE_BODY });
      } catch (err) {
        // A refused target is final: recorded with its reason, never retried.
        if (err instanceof RefusedTargetError) {
          await markMessageFailed(db, row.id, err.message);
          unsettled?.delete(row.id);
        } else {
          await noteReason(row.id, err);
        }
        throw err;
      }
      // A 5xx is retried, so it is not the final word; anything else is.
      const final = response.status < 500 && response.status !== 429;
      await recordDone(() => recordWebhookAnswer(db, row.id, final ? (response.status < 400 ? 'sent' : 'failed') : 'sending', response, final ? null : `HTTP ${response.status}`));
      if (final) unsettled?.delete(row.id);
      return response;
    },
  };
}
