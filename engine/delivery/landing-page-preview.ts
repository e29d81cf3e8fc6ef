// The preview link of a landing page (/p/:slug?preview=…): a draft or one variant at the
// page's own address, for someone who has no session there (a colleague, a phone). The
// token names the page, the variant (empty: the first) and when it expires, signed with
// the server's keyring (signing.ts), so it cannot be made or changed without the secret
// and stops working after PREVIEW_TOKEN_MAX_AGE_S.
import { sign, signatureValid } from './signing.js';
import { isUuid } from '../ops/uuid.js';
import { CONTENT_KEY } from './content-slots.js';

/** An hour: long enough to look at it on another device, short enough that a forwarded link dies. */
export const PREVIEW_TOKEN_MAX_AGE_S = 3600;

const KEY = new RegExp(CONTENT_KEY);
const payload = (pageId: string, variant: string, expires: number) => `landing-preview:${pageId}:${variant}:${expires}`;

/**
 * @example previewToken(secret, pageId, 'short-form') // '<pageId>.short-form.1767225600.<signature>'
 */
export function previewToken(secret: string, pageId: string, variant: string | undefined, now = new Date()): { token: string; expiresAt: string } {
  const expires = Math.floor(now.getTime() / 1000) + PREVIEW_TOKEN_MAX_AGE_S;
  const v = variant ?? '';
  return { token: `${pageId}.${v}.${expires}.${sign(secret, payload(pageId, v, expires))}`, expiresAt: new Date(expires * 1000).toISOString() };
}

/** The page and variant (undefined: the first) a token names, or undefined when it is forged, malformed or expired. */
export function verifyPreviewToken(secret: string, token: string, now = new Date()): { pageId: string; variant: string | undefined } | undefined {
  const [pageId, variant, expires, sig, ...rest] = token.split('.');
  if (rest.length || !pageId || variant === undefined || !expires || !sig || !isUuid(pageId) || (variant !== '' && !KEY.test(variant)) || !/^\d{1,12}$/.test(expires)) return undefined;
  if (Number(expires) <= now.getTime() / 1000) return undefined;
  return signatureValid(secret, payload(pageId, variant, Number(expires)), sig) ? { pageId, variant: variant || undefined } : undefined;
}
