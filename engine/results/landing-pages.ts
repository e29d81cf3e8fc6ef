// A landing page's A/B results: viewers and conversions per variant, read from the
// event log (storage/landing-pages.ts), and the decision of the two-proportion z-test
// (delivery/landing-pages.ts `decide`). A winner, once decided, is stored with the
// figures it was decided on and never flips; from then on every visitor sees it.
import type { Queryable } from '../storage/db.js';
import { landingPageFigures, storeLandingPageWinner, type FiguresQuery } from '../storage/landing-pages.js';
import { chooseWinner } from '../delivery/landing-page-store.js';
import { FORM_SUBMITTED } from '../storage/forms.js';
import { getLandingPage } from '../delivery/landing-page-store.js';
import { LANDING_PAGE_CTA_CLICKED, LANDING_PAGE_VIEWED, chosenByHand, decide, formIdsOf, type DecidedBy, type Decision, type LandingPage, type VariantFigures } from '../delivery/landing-pages.js';

export interface LandingPageResults {
  /** Every variant of the page, in its order, with what the test saw. */
  variants: (VariantFigures & { name: string })[];
  /** The test on today's figures. */
  test: Decision;
  /** The stored decision (winner, when, and the figures it was made on); null while the test runs. */
  decision: (Decision & { decidedAt: string }) | null;
}

/** The goal events that count: the page's forms, the page's buttons (or the one the goal names), or any event of the goal's type. */
function goalFilter(page: LandingPage): FiguresQuery['goalFilter'] {
  if (page.goal.kind === 'form') return [{ property: 'formId', values: formIdsOf(page) }];
  if (page.goal.kind === 'event') return [];
  return [{ property: 'pageId', values: [page.id] }, ...(page.goal.ctaId ? [{ property: 'ctaId', values: [page.goal.ctaId] }] : [])];
}

/** Today's figures per variant of the page, zeros for a variant nobody saw yet. */
export async function variantFigures(db: Queryable, page: LandingPage): Promise<VariantFigures[]> {
  const rows = await landingPageFigures(db, {
    pageId: page.id, viewedType: LANDING_PAGE_VIEWED, withinDays: page.goal.withinDays,
    goalType: page.goal.kind === 'form' ? FORM_SUBMITTED : page.goal.kind === 'cta' ? LANDING_PAGE_CTA_CLICKED : page.goal.eventType!,
    goalFilter: goalFilter(page),
  });
  return page.variants.map((v) => {
    const r = rows.find((x) => x.variant === v.key);
    const viewers = r?.viewers ?? 0;
    const converted = r?.converted ?? 0;
    return { variant: v.key, viewers, converted, rate: viewers ? converted / viewers : 0 };
  });
}

/**
 * The page's results; with `decideNow` (a published page without a winner) a winner the
 * test now supports is stored. Whoever computes the figures first — a visitor's page
 * view, or someone reading the results — records the decision: it depends on the data,
 * not on who looks.
 */
export async function landingPageResults(db: Queryable, page: LandingPage, decideNow = true): Promise<LandingPageResults> {
  const figures = await variantFigures(db, page);
  const test = decide(figures, page);
  let decision = page.decision && page.decidedAt ? { ...page.decision, decidedAt: page.decidedAt } : null;
  if (!decision && decideNow && page.status === 'published' && test.winner) {
    // Another server may have decided first: its decision stands, read back.
    await storeLandingPageWinner(db, page.id, test.winner, test);
    const stored = await getLandingPage(db, page.id);
    decision = stored?.decision && stored.decidedAt ? { ...stored.decision, decidedAt: stored.decidedAt } : null;
  }
  const names = new Map(page.variants.map((v) => [v.key, v.name]));
  return { variants: figures.map((f) => ({ ...f, name: names.get(f.variant) ?? f.variant })), test, decision };
}

/**
 * Stops the page's test and shows `variant` to everyone: stored with who chose it and
 * the test's figures of the moment. Undefined when the page is archived or has a winner
 * already (the first choice stands, as a decision of the test does).
 */
export async function chooseWinnerByHand(db: Queryable, page: LandingPage, variant: string, by: DecidedBy): Promise<LandingPage | undefined> {
  const test = decide(await variantFigures(db, page), page);
  return chooseWinner(db, page.id, variant, chosenByHand(test, variant, by), by);
}
