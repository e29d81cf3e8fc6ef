// Text messages go out through a provider behind one small interface, chosen by
// configuration. `twilio` speaks Twilio's Messages API (the most common provider, and
// the shape several others copy); `file` writes each message as JSON under the data
// folder, for development without an account.
import fs from 'node:fs';
import path from 'node:path';
import { createOutbound, RefusedTargetError, type Outbound } from './outbound.js';
import type { SmsConfig } from '../ops/config.js';
export type { SmsConfig } from '../ops/config.js';

export interface OutgoingSms {
  to: string;
  body: string;
  /** Stable across retries of one send: providers that support it drop duplicates. */
  idempotencyKey: string;
}

export interface SmsProvider {
  readonly name: string;
  send(message: OutgoingSms): Promise<{ id: string }>;
}

/** The provider refused this message for good (bad number, blocked recipient): not retried. */
export class SmsRejectedError extends Error {}

/** `outbound` carries the SSRF guard: a provider URL on a private address needs TEND_HTTP_ALLOW. */
export function createSmsProvider(config: SmsConfig, outbound: Outbound = createOutbound()): SmsProvider | undefined {
  if (config.provider === 'none') return undefined;
  if (config.provider === 'file') return fileProvider(path.join(config.dataDir, 'sms'));
  return twilioProvider(config.twilio!, outbound);
}

function twilioProvider(c: NonNullable<SmsConfig['twilio']>, outbound: Outbound): SmsProvider {
  const url = `${c.apiUrl}/2010-04-01/Accounts/${encodeURIComponent(c.accountSid)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${c.accountSid}:${c.authToken}`).toString('base64')}`;
  return {
    name: 'twilio',
    async send(message) {
      const form = new URLSearchParams({ To: message.to, Body: message.body });
      if (c.messagingServiceSid) form.set('MessagingServiceSid', c.messagingServiceSid);
      else form.set('From', c.from!);
      let res;
      try {
        res = await outbound.request({
          method: 'POST',
          url,
          headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded', 'Idempotency-Key': message.idempotencyKey },
          body: form.toString(),
          timeoutMs: 15000,
        });
      } catch (err) {
        // A refused provider URL will not be allowed on a retry: the message fails with why.
        if (err instanceof RefusedTargetError) throw new SmsRejectedError(`SMS provider ${err.message}`);
        throw err;
      }
      const text = res.body;
      let body: { sid?: string; message?: string; code?: number } = {};
      try { body = JSON.parse(text); } catch { /* an HTML error page */ }
      if (res.status >= 200 && res.status < 300 && body.sid) return { id: body.sid };
      const detail = `SMS provider answered ${res.status}${body.code ? ` (code ${body.code})` : ''}: ${body.message ?? text.slice(0, 200)}`;
      // 4xx other than rate limiting is about this message, and will not get better.
      if (res.status >= 400 && res.status < 500 && res.status !== 429) throw new SmsRejectedError(detail);
      throw new Error(detail);
    },
  };
}

function fileProvider(dir: string): SmsProvider {
  return {
    name: 'file',
    async send(message) {
      fs.mkdirSync(dir, { recursive: true });
      const id = message.idempotencyKey.replace(/[^A-Za-z0-9_-]/g, '_');
      const file = path.join(dir, `${id}.json`);
      fs.writeFileSync(file, JSON.stringify({ to: message.to, body: message.body, at: new Date().toISOString() }, null, 2));
      // The file is named on the message, so erasing the contact can remove it.
      return { id, file };
    },
  };
}
