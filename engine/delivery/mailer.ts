// The mail transport: SMTP from SMTP_URL, or, with none set, .eml files in the data
// folder so a laptop install shows what it would have sent.
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  replyTo?: string;
  messageId: string;
  headers: Record<string, string>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ response: string }>;
  close(): void;
}

export function createMailer(smtpUrl: string | undefined, dataDir: string): Mailer {
  if (smtpUrl) {
    // Pooled: a send reuses an open connection instead of a new TCP + SMTP handshake.
    const url = new URL(smtpUrl);
    if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
    const transport = nodemailer.createTransport(url.toString());
    return {
      send: async (m) => {
        const info = await transport.sendMail({ ...m, messageId: m.messageId });
        return { response: String(info.response) };
      },
      close: () => transport.close(),
    };
  }
  const dir = path.join(dataDir, 'mail');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    send: async (m) => {
      const info = await transport.sendMail({ ...m, messageId: m.messageId });
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${m.messageId.replace(/[<>@]/g, '_')}.eml`);
      fs.writeFileSync(file, info.message as Buffer);
      return { response: `written to ${file}` };
    },
    close: () => transport.close(),
  };
}
