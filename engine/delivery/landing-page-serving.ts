// Serving /p/:slug: the published page, the variant this visitor sees, the view
// recorded as a `landing_page_viewed` event on their timeline (and dispatched, so
// programs and scoring rules can use it), their forms' fields by progressive profiling,
// and now and then the A/B decision. The decision is checked at most once per
// `decideEveryMs` per page and process, without holding up the answer, so a busy page
// does not count its results on every view; someone reading the results decides at once.
// A click on the page's button comes back here (/p/:slug/cta) to be recorded before the
// visitor goes on to the button's address. A page that requires consent tracks nobody
// until they accept (see `serve` and `consent`). An editor's preview of any page and
// variant (a draft too) records nothing.
import crypto from 'node:crypto';
import type { Queryable } from '../storage/db.js';
import type { Db } from '../storage/db.js';
import { transaction } from '../storage/db.js';
import { getContact } from '../storage/contacts.js';
import { ingestIn } from '../dispatch/ingest.js';
import { knownVisitor, visitorContact } from '../audience/identity.js';
import { fieldsToShow, getForm } from '../audience/forms.js';
import type { Contact } from '../plugin/index.js';
import { LANDING_PAGE_CTA_CLICKED, LANDING_PAGE_VIEWED, chooseVariant, drawVariant, visitorIdFor, type LandingPage } from './landing-pages.js';
import { renderLandingPage, webUrl, type ShownForm } from './landing-page-html.js';
import { getLandingPage, servedLandingPage } from './landing-page-store.js';
import { landingPageResults } from '../results/landing-pages.js';

export const DECIDE_EVERY_MS = 10_000;

export interface ServedPage {
  html: string;
  pageId: string;
  variant: string;
  recorded: boolean;
  /** The id the tend_vid cookie should hold; undefined when the visitor is not tracked (no consent yet, or declined). */
  visitorId: string | undefined;
}

/** What the browser says about the visitor: the tend_vid cookie, and the answer to a consent bar (tend_consent). */
export interface Visitor { id: string | undefined; consent: 'yes' | 'no' | undefined }

/**
 * Whether the page may track this visitor: they accepted, or the page does not ask and
 * they have not declined (a refusal given on one page of the host holds on all of them).
 */
export const tracked = (page: Pick<LandingPage, 'requireConsent'>, who: Visitor): boolean =>
  who.consent === 'yes' || (!page.requireConsent && who.consent !== 'no');

/** An answer to the consent bar, or why it names nothing. */
export type ConsentAnswer =
  | { kind: 'accepted'; visitorId: string; html: string }
  | { kind: 'declined'; html: string }
  | { kind: 'unknown'; field: 'slug' | 'variant'; message: string }
  | { kind: 'not asked' };

/** Where a button click goes, or which part of its address names nothing. */
export type CtaClick =
  | { kind: 'redirect'; url: string; recorded: boolean; visitorId: string | undefined }
  | { kind: 'unknown'; field: 'slug' | 'variant' | 'block'; message: string };

export interface LandingPageServer {
  /**
   * The page for this visitor (their anonymous id, from the cookie or just made), or
   * undefined when no published page has the slug. `count: false` (HEAD) records no view.
   */
  serve(slug: string, who: Visitor, opts: { count: boolean }): Promise<ServedPage | undefined>;
  /**
   * A click on block `block` (its index) of variant `variant` of the published page:
   * recorded as a `landing_page_cta_clicked` event of the visitor, and the address stored
   * in that button to go on to. The address comes from the page only, never from the
   * request, so the path cannot send anyone elsewhere. `count: false` (HEAD) records nothing.
   */
  click(slug: string, who: Visitor, variant: string, block: number, opts: { count: boolean }): Promise<CtaClick>;
  /**
   * The visitor's answer to the consent bar of a page that requires consent. Accepting
   * records the view of `variant` (the one they were shown; it must be the page's) under
   * a new visitor id that the split keeps on that variant; declining records nothing.
   */
  consent(slug: string, who: Visitor, answer: 'accept' | 'decline', variant: string): Promise<ConsentAnswer>;
}

export interface ServingOptions {
  decideEveryMs?: number;
  /** A view that could not be recorded, or a decision that failed: logged, and the page is served all the same. */
  onError?: (what: string, err: unknown) => void;
  now?: () => number;
}

async function recordVisitorEvent(db: Db, visitorId: string, type: string, properties: Record<string, unknown>): Promise<void> {
  await transaction(db, async (tx) => {
    // Locked until commit, so a merge cannot move the visitor's history from under the event.
    const contactId = await visitorContact(tx, visitorId);
    await ingestIn(tx, [{ type, contactId, properties }], () => '/', 'web');
  }, { deadlockRetries: 3 });
}

const recordView = (db: Db, page: LandingPage, visitorId: string, variant: string) =>
  recordVisitorEvent(db, visitorId, LANDING_PAGE_VIEWED, { pageId: page.id, slug: page.slug, variant, split: !page.winner });

async function shownForms(db: Queryable, page: LandingPage, variant: string, contact: Contact | undefined): Promise<Map<string, ShownForm>> {
  const ids = [...new Set(page.variants.find((v) => v.key === variant)!.blocks.flatMap((b) => (b.type === 'form' ? [b.formId] : [])))];
  const forms = await Promise.all(ids.map((id) => getForm(db, id)));
  return new Map(forms.flatMap((f) => (f ? [[f.id, { id: f.id, submitLabel: f.submitLabel, fields: fieldsToShow(f, contact) }] as const] : [])));
}

/** The page of `variant` for a visitor (no id: an untracked one, whose form merges nothing), with the consent bar or as a preview. */
async function pageHtml(db: Queryable, page: LandingPage, variant: string, visitorId: string | undefined, contact: Contact | undefined, shown: { askConsent?: boolean; preview?: boolean } = {}): Promise<string> {
  return renderLandingPage({
    title: page.title ?? page.name, slug: page.slug, variant, blocks: page.variants.find((v) => v.key === variant)!.blocks,
    forms: await shownForms(db, page, variant, contact), visitorId: visitorId ?? '', ...shown,
  });
}

/**
 * A page's variant as an editor checks it before publishing (any status; the first
 * variant unless named): the form as a new visitor would see it, buttons straight to
 * their address, nothing recorded; 'no page' or 'no variant' when either is unknown.
 * With `at`, the preview link's address: the page must be at that slug.
 */
export async function previewLandingPage(db: Queryable, pageId: string, variantKey?: string, at?: { slug: string }): Promise<{ variant: string; html: string } | 'no page' | 'no variant'> {
  const page = await getLandingPage(db, pageId);
  if (!page) return 'no page';
  // At /p/:slug?preview=…: only at the page's own address, and not once it is archived (its slug may be another page's now).
  if (at && (page.slug !== at.slug || page.status === 'archived')) return 'no page';
  const variant = variantKey === undefined ? page.variants[0] : page.variants.find((v) => v.key === variantKey);
  if (!variant) return 'no variant';
  return { variant: variant.key, html: await pageHtml(db, page, variant.key, undefined, undefined, { preview: true }) };
}

export function createLandingPageServer(db: Db, opts: ServingOptions = {}): LandingPageServer {
  const every = opts.decideEveryMs ?? DECIDE_EVERY_MS;
  const now = opts.now ?? (() => Date.now());
  const onError = opts.onError ?? (() => undefined);
  const lastChecked = new Map<string, number>();

  const maybeDecide = (page: LandingPage) => {
    if (page.winner || page.variants.length < 2) return;
    const at = lastChecked.get(page.id);
    if (at !== undefined && now() - at < every) return;
    lastChecked.set(page.id, now());
    landingPageResults(db, page).catch((err: unknown) => onError('landing page decision failed', err));
  };

  return {
    async serve(slug, who, { count }) {
      const page = await servedLandingPage(db, slug);
      if (!page) return undefined;
      const pageFor = (variant: string, visitorId: string | undefined, contact: Contact | undefined) => pageHtml(db, page, variant, visitorId, contact, { askConsent: page.requireConsent && !who.consent });
      if (!tracked(page, who)) {
        // Before consent (or after a refusal): a variant for this load only, no id, nothing recorded.
        const variant = drawVariant(page);
        return { html: await pageFor(variant, undefined, undefined), pageId: page.id, variant, recorded: false, visitorId: undefined };
      }
      const visitorId = who.id ?? crypto.randomUUID();
      const variant = chooseVariant(page, visitorId);
      let recorded = false;
      if (count) {
        recorded = await recordView(db, page, visitorId, variant).then(() => true, (err: unknown) => { onError('landing page view not recorded', err); return false; });
      }
      const contactId = await knownVisitor(db, visitorId);
      const contact = contactId ? await getContact(db, contactId) : undefined;
      const html = await pageFor(variant, visitorId, contact);
      if (count) maybeDecide(page);
      return { html, pageId: page.id, variant, recorded, visitorId };
    },

    async click(slug, who, variantKey, index, { count }) {
      const page = await servedLandingPage(db, slug);
      if (!page) return { kind: 'unknown', field: 'slug', message: `no published landing page is at /p/${slug}` };
      const variant = page.variants.find((v) => v.key === variantKey);
      if (!variant) return { kind: 'unknown', field: 'variant', message: `the page has no variant ${variantKey}` };
      const block = variant.blocks[index];
      // Checked again as on render: a row written by hand must not make this a redirect to script.
      const url = block?.type === 'cta' ? webUrl(block.url) : undefined;
      if (!block || block.type !== 'cta' || !url) return { kind: 'unknown', field: 'block', message: `block ${index} of variant ${variantKey} is not a button` };
      const properties = { pageId: page.id, slug: page.slug, variant: variantKey, block: index, ...(block.id ? { ctaId: block.id } : {}), url, split: !page.winner };
      // Before consent the button still leads on; the click is nobody's.
      if (!count || !tracked(page, who)) return { kind: 'redirect', url, recorded: false, visitorId: undefined };
      const visitorId = who.id ?? crypto.randomUUID();
      const recorded = await recordVisitorEvent(db, visitorId, LANDING_PAGE_CTA_CLICKED, properties).then(() => true, (err: unknown) => { onError('landing page click not recorded', err); return false; });
      if (recorded) maybeDecide(page);
      return { kind: 'redirect', url, recorded, visitorId };
    },

    async consent(slug, who, answer, variantKey) {
      const page = await servedLandingPage(db, slug);
      if (!page) return { kind: 'unknown', field: 'slug', message: `no published landing page is at /p/${slug}` };
      if (!page.requireConsent) return { kind: 'not asked' };
      if (!page.variants.some((v) => v.key === variantKey)) return { kind: 'unknown', field: 'variant', message: `the page has no variant ${variantKey}` };
      // The answer is the page again, in the variant the visitor was shown and without the bar.
      if (answer === 'decline') return { kind: 'declined', html: await pageHtml(db, page, variantKey, undefined, undefined) };
      // An id the visitor has already (from a page that does not ask) is kept if the split agrees with what they saw.
      const visitorId = visitorIdFor(page, variantKey, who.id);
      await recordView(db, page, visitorId, variantKey);
      maybeDecide(page);
      const contactId = await knownVisitor(db, visitorId);
      const html = await pageHtml(db, page, variantKey, visitorId, contactId ? await getContact(db, contactId) : undefined);
      return { kind: 'accepted', visitorId, html };
    },
  };
}
