// Security headers on every answer, with helmet: no sniffing, no referrer leaking a
// token in a link, HSTS behind TLS, and a content security policy for each kind of
// page:
// - the API's answers are readable by Tend's own origin only (Cross-Origin-Resource-Policy);
// - hosted forms (/f/…) may be framed by a customer's own site and may redirect to a
//   customer's thank-you page after a submission;
// - what other sites load (t.js, /t/collect, the open pixel /o/, click links /c/) must
//   be readable cross-origin, or browsers block the pixel in webmail;
// - landing pages (/p/…) show images from the web and may post a form that redirects;
// - the editor's page runs its own scripts only (no inline script, no eval).
import type { RequestHandler } from 'express';
import helmet from 'helmet';

type Directives = Record<string, string[]>;

/** Pages Tend serves itself (preferences, unsubscribe, form pages): no script at all, inline styles. */
const PAGE: Directives = {
  defaultSrc: ["'none'"], styleSrc: ["'unsafe-inline'"], imgSrc: ["'self'", 'data:'], baseUri: ["'none'"], formAction: ["'self'"], frameAncestors: ["'none'"],
};

/**
 * The editor: its own scripts only; inline styles (React Flow positions nodes with
 * them); images anywhere (an email preview shows the template's remote images, inside
 * an empty-sandbox iframe); elk's worker from a blob.
 */
export const EDITOR: Directives = {
  defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ['*', 'data:', 'blob:'], fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"], workerSrc: ["'self'", 'blob:'], frameSrc: ["'self'", 'about:', 'data:', 'blob:'], objectSrc: ["'none'"], baseUri: ["'none'"],
  formAction: ["'self'"], frameAncestors: ["'none'"],
};

const common = {
  // Not includeSubDomains: Tend runs on one host of a customer's domain, and must not decide for the others.
  strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: false },
  referrerPolicy: { policy: 'no-referrer' as const },
  // Nothing here loads cross-origin resources that would need to opt in.
  crossOriginEmbedderPolicy: false,
  frameguard: { action: 'deny' as const },
};

/** The API: its answers hold the data, and no other origin may load them, even as an image or a script. */
const api = helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: PAGE } });
const { formAction: _formAction, frameAncestors: _frameAncestors, ...embeddablePage } = PAGE;
const embeddable = helmet({ ...common, frameguard: false, crossOriginResourcePolicy: { policy: 'cross-origin' }, contentSecurityPolicy: { useDefaults: false, directives: embeddablePage } });
/**
 * Everything else is public or a page: t.js, the pixel and click links are loaded by
 * other sites and mail clients, and the editor's email preview (an empty-sandbox
 * iframe, an origin of its own) may load the template's images from Tend.
 */
const elsewhere = helmet({ ...common, crossOriginResourcePolicy: { policy: 'cross-origin' }, contentSecurityPolicy: { useDefaults: false, directives: PAGE } });

/**
 * Landing pages (/p/…): a page of Tend's like the others, with images from anywhere on
 * the web, and a form whose submission may be redirected to the form's thank-you URL.
 */
const landing = helmet({ ...common, crossOriginResourcePolicy: { policy: 'cross-origin' }, contentSecurityPolicy: { useDefaults: false, directives: { ...PAGE, imgSrc: ['https:', 'http:', 'data:'], formAction: ["'self'", 'https:', 'http:'] } } });

/** The headers for a path: the API, framed forms, or everything else. */
export function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    const p = req.path;
    if (p.startsWith('/api/') || p === '/api') return api(req, res, next);
    if (p.startsWith('/f/')) return embeddable(req, res, next);
    if (p.startsWith('/p/')) return landing(req, res, next);
    elsewhere(req, res, next);
  };
}

/** The editor's page: replaces the policy set above with the editor's. */
export const editorPolicy = helmet.contentSecurityPolicy({ useDefaults: false, directives: EDITOR });
