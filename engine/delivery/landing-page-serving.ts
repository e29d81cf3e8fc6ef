// Serving /p/:slug: the published page, the variant this visitor sees, the view
// recorded as a `landing_page_viewed` event on their timeline (and dispatched, so
// programs and scoring rules can use it), their forms' fields by progressive profiling,
// and now and then the A/B decision. The decision is checked at most once per
// `decideEveryMs` per page and process, without holding up the answer, so a busy page
// does not count its results on every view; someone reading the results decides at once.
import type { Db } from '../storage/db.js';
import { transaction } from '../storage/db.js';
import { getContact } from '../storage/contacts.js';
import { ingestIn } from '../dispatch/ingest.js';
import { knownVisitor, visitorContact } from '../audience/identity.js';
import { fieldsToShow, getForm } from '../audience/forms.js';
import type { Contact } from '../plugin/index.js';
import { LANDING_PAGE_VIEWED, chooseVariant, type LandingPage } from './landing-pages.js';
import { renderLandingPage, type ShownForm } from './landing-page-html.js';
import { servedLandingPage } from './landing-page-store.js';
import { landingPageResults } from '../results/landing-pages.js';

export const DECIDE_EVERY_MS = 10_000;

export interface ServedPage { html: string; pageId: string; variant: string; recorded: boolean }

export interface LandingPageServer {
  /**
   * The page for this visitor (their anonymous id, from the cookie or just made), or
   * undefined when no published page has the slug. `count: false` (HEAD) records no view.
   */
  serve(slug: string, visitorId: string, opts: { count: boolean }): Promise<ServedPage | undefined>;
}

export interface ServingOptions {
  decideEveryMs?: number;
  /** A view that could not be recorded, or a decision that failed: logged, and the page is served all the same. */
  onError?: (what: string, err: unknown) => void;
  now?: () => number;
}

async function recordView(db: Db, page: LandingPage, visitorId: string, variant: string): Promise<void> {
  await transaction(db, async (tx) => {
    // Locked until commit, so a merge cannot move the visitor's history from under the view.
    const contactId = await visitorContact(tx, visitorId);
    await ingestIn(tx, [{ type: LANDING_PAGE_VIEWED, contactId, properties: { pageId: page.id, slug: page.slug, variant, split: !page.winner } }], () => '/', 'web');
  }, { deadlockRetries: 3 });
}

async function shownForms(db: Db, page: LandingPage, variant: string, contact: Contact | undefined): Promise<Map<string, ShownForm>> {
  const ids = [...new Set(page.variants.find((v) => v.key === variant)!.blocks.flatMap((b) => (b.type === 'form' ? [b.formId] : [])))];
  const forms = await Promise.all(ids.map((id) => getForm(db, id)));
  return new Map(forms.flatMap((f) => (f ? [[f.id, { id: f.id, submitLabel: f.submitLabel, fields: fieldsToShow(f, contact) }] as const] : [])));
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
    async serve(slug, visitorId, { count }) {
      const page = await servedLandingPage(db, slug);
      if (!page) return undefined;
      const variant = chooseVariant(page, visitorId);
      let recorded = false;
      if (count) {
        recorded = await recordView(db, page, visitorId, variant).then(() => true, (err: unknown) => { onError('landing page view not recorded', err); return false; });
      }
      const contactId = await knownVisitor(db, visitorId);
      const contact = contactId ? await getContact(db, contactId) : undefined;
      const html = renderLandingPage({
        title: page.title ?? page.name, slug: page.slug, variant, blocks: page.variants.find((v) => v.key === variant)!.blocks,
        forms: await shownForms(db, page, variant, contact), visitorId,
      });
      if (count) maybeDecide(page);
      return { html, pageId: page.id, variant, recorded };
    },
  };
}
