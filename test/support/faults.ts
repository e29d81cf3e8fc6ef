// What the fault tests share: a small program that sends, calls a webhook and waits,
// and counts of what the outside world received (per recipient and subject at the
// SMTP server, per idempotency key at the webhook receiver).
import type { Mailbox } from './smtp.js';
import { recipient } from './smtp.js';
import type { Receiver } from './receiver.js';

/**
 * signed_up → email "Welcome" → (webhook, when `webhookUrl` is given) → wait up to an
 * hour for `activated` → email "Activated". A contact who is not activated simply waits.
 */
export function onboarding(opts: { webhookUrl?: string; name?: string } = {}) {
  const nodes: Record<string, unknown>[] = [
    { id: 'signup', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } },
    { id: 'welcome', type: 'tend.action.email', version: 1, config: { subject: 'Welcome', html: '<p>Hello {{contact.email}}</p>' } },
    { id: 'wait', type: 'tend.wait.event', version: 1, config: { eventType: 'activated', timeout: '1 hour' } },
    { id: 'activated', type: 'tend.action.email', version: 1, config: { subject: 'Activated', html: '<p>Well done.</p>' } },
  ];
  const edges: Record<string, unknown>[] = [
    { id: 'e2', source: 'wait', sourcePort: 'event', target: 'activated' },
  ];
  if (opts.webhookUrl) {
    nodes.push({ id: 'crm', type: 'tend.action.webhook', version: 1, config: { method: 'POST', url: `${opts.webhookUrl}/contacts`, body: '{"email": "{{contact.email}}"}', retryDelaySeconds: 0.5, maxAttempts: 20 } });
    edges.push({ id: 'e0', source: 'signup', sourcePort: 'next', target: 'welcome' }, { id: 'e1', source: 'welcome', sourcePort: 'next', target: 'crm' }, { id: 'e1b', source: 'crm', sourcePort: 'next', target: 'wait' });
  } else {
    edges.push({ id: 'e0', source: 'signup', sourcePort: 'next', target: 'welcome' }, { id: 'e1', source: 'welcome', sourcePort: 'next', target: 'wait' });
  }
  return { format: 'tend.flow/v1', name: opts.name ?? 'Onboarding', nodes, edges };
}

/** How many emails each "recipient|subject" received. */
export function mailTally(box: Mailbox): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of box.messages) {
    const k = `${recipient(m)}|${m.subject}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** The tally a run should give: each recipient once for each subject. */
export function expectedTally(recipients: string[], subjects: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of recipients) for (const s of subjects) out[`${r}|${s}`] = 1;
  return out;
}

/** Distinct idempotency keys per webhook body's email (a retried call repeats its key). */
export function webhookKeys(rec: Receiver): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const r of rec.requests) {
    const email = String((r.json as { email?: string } | undefined)?.email);
    (out[email] ??= new Set()).add(String(r.headers['idempotency-key']));
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v]]));
}

export const emails = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}@example.com`);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A gate that holds callers (an SMTP reply, a webhook answer) until it is opened. */
export function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => { open = r; });
  return { opened, open };
}
