// A real SMTP server in the test process; every accepted message is parsed and kept.
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface Mailbox {
  url: string;
  messages: ParsedMail[];
  /** Resolves once `count` messages have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  /** Runs before a message is accepted: delay or fail it to test crashes mid-send. */
  beforeAccept?: (raw: Buffer) => Promise<void>;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<Mailbox> {
  const box: Mailbox = {
    url: '',
    messages: [],
    async waitFor(count, timeoutMs = 30000) {
      const deadline = Date.now() + timeoutMs;
      while (box.messages.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} email(s), got ${box.messages.length} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return box.messages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        try {
          await box.beforeAccept?.(raw);
          // Accepted only now: a sender that disconnected meanwhile delivered nothing.
          box.messages.push(await simpleParser(raw));
          callback();
        } catch (err) {
          callback(err as Error);
        }
      });
    },
  });
  // A sender killed mid-conversation resets its connection (the fault tests do that on purpose).
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  box.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return box;
}

/** A raw header value as sent (mailparser restructures some, such as List-*). */
export function rawHeader(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).replace(/\r?\n\s+/g, ' ').trim();
}

/** Where each tracked link of an email leads: follows Tend's /c/ redirects without leaving. */
export async function linkTargets(mail: ParsedMail): Promise<string[]> {
  const hrefs = [...String(mail.html).matchAll(/href=["']([^"']+)["']/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
  return Promise.all(hrefs.map(async (href) => {
    if (!/\/c\/[^/]+$/.test(href)) return href;
    const res = await fetch(href, { redirect: 'manual' });
    return res.headers.get('location') ?? `(${res.status})`;
  }));
}

/** The address a message went to (the first, as Tend sends to one). */
export function recipient(mail: ParsedMail): string {
  const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
  return to?.value[0]?.address ?? '';
}
