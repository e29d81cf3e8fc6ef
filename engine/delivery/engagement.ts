// Open and click tracking for emails: an invisible pixel and links rewritten through
// Tend, each carrying a signed token, so nobody can forge an open or a click for
// another message, and a click can only lead to a link that was in the email.
import { sign, signatureValid } from './signing.js';
import { isUuid } from '../ops/uuid.js';

export interface Tracking {
  /** Public base URL of Tend's server, where /o/ and /c/ are served. */
  baseUrl: string;
  secret: string;
}


export function openToken(secret: string, messageId: string): string {
  return `${messageId}.${sign(secret, `open:${messageId}`)}`;
}

export function clickToken(secret: string, messageId: string, link: number): string {
  return `${messageId}.${link}.${sign(secret, `click:${messageId}:${link}`)}`;
}

export function verifyOpen(secret: string, token: string): string | undefined {
  const [messageId, sig, ...rest] = token.split('.');
  if (rest.length || !messageId || !sig || !isUuid(messageId)) return undefined;
  return signatureValid(secret, `open:${messageId}`, sig) ? messageId : undefined;
}

export function verifyClick(secret: string, token: string): { messageId: string; link: number } | undefined {
  const [messageId, index, sig, ...rest] = token.split('.');
  if (rest.length || !messageId || !index || !sig || !isUuid(messageId) || !/^\d{1,4}$/.test(index)) return undefined;
  return signatureValid(secret, `click:${messageId}:${index}`, sig) ? { messageId, link: Number(index) } : undefined;
}

/**
 * Rewrites the http(s) links of an email's HTML through the click endpoint and adds the
 * open pixel. Returns the HTML and the original links, in token order. Unsubscribe and
 * preference links are left alone: they already lead to Tend, and must work as they are.
 */
export function instrument(html: string, messageId: string, t: Tracking): { html: string; links: string[] } {
  const links: string[] = [];
  const base = t.baseUrl.replace(/\/$/, '');
  const rewritten = html.replace(/(<a\b[^>]*?\bhref\s*=\s*)(["'])(https?:\/\/[^"']+)\2/gi, (whole, start: string, quote: string, url: string) => {
    const decoded = url.replace(/&amp;/g, '&');
    if (decoded.startsWith(`${base}/unsubscribe/`) || decoded.startsWith(`${base}/preferences/`)) return whole;
    links.push(decoded);
    return `${start}${quote}${base}/c/${clickToken(t.secret, messageId, links.length - 1)}${quote}`;
  });
  const pixel = `<img src="${base}/o/${openToken(t.secret, messageId)}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">`;
  return { html: rewritten.includes('</body>') ? rewritten.replace('</body>', `${pixel}</body>`) : rewritten + pixel, links };
}

/** How long after the click the landing page may use the visit token. */
export const VISIT_TOKEN_MAX_AGE_S = 600;

/**
 * The `tend_c` parameter added to a clicked link that leads to a tracked site: the
 * contact and the time, signed. t.js sends it on landing, which identifies the browser.
 * Short-lived, so a forwarded or bookmarked URL identifies nobody later.
 */
export function visitToken(secret: string, contactId: string, now = new Date()): string {
  const at = Math.floor(now.getTime() / 1000);
  return `${contactId}.${at}.${sign(secret, `visit:${contactId}:${at}`)}`;
}

export function verifyVisitToken(secret: string, token: string, now = new Date()): string | undefined {
  const [contactId, at, sig, ...rest] = token.split('.');
  if (rest.length || !contactId || !at || !sig || !isUuid(contactId) || !/^\d{1,12}$/.test(at)) return undefined;
  const age = now.getTime() / 1000 - Number(at);
  if (age < -60 || age > VISIT_TOKEN_MAX_AGE_S) return undefined;
  return signatureValid(secret, `visit:${contactId}:${at}`, sig) ? contactId : undefined;
}
