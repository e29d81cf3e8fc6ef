// Landing pages with A/B tests: the page (blocks per variant, a goal, the confidence
// and minimum sample of its test), what a schema cannot check, which variant a visitor
// sees, and when a variant has won. Pure. Rendering is landing-page-html.ts, storage
// storage/landing-pages.ts, serving and results landing-page-serving.ts and
// results/landing-pages.ts.
import crypto from 'node:crypto';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { ErrorObject } from 'ajv';
import { ajvProblems, newAjv } from '../plugin/registry.js';
import type { FieldError } from '../ops/errors.js';
import { lift } from '../results/lift.js';
import { CONTENT_KEY } from './content-slots.js';

/** What /p/:slug names a page by. */
export const SLUG = '^[a-z0-9][a-z0-9-]{0,62}$';
/** The event of a page shown to a visitor; properties pageId, slug, variant, split. */
export const LANDING_PAGE_VIEWED = 'landing_page_viewed';
/** A click on a page's button, through /p/:slug/cta; properties pageId, slug, variant, block, url, split. */
export const LANDING_PAGE_CTA_CLICKED = 'landing_page_cta_clicked';
/** Named beside every p-value the editor and the API show. */
export const TEST_METHOD = 'two-proportion z-test';

// Links and images may only leave for the web: a javascript: or data: address in a
// button would run script on Tend's origin when clicked.
const WebUrl = Type.String({ maxLength: 2000, pattern: '^https?://[^\\s]+$', description: 'An http:// or https:// address' });

export const HeadingBlock = Type.Object({ type: Type.Literal('heading'), text: Type.String({ minLength: 1, maxLength: 300 }), level: Type.Optional(Type.Integer({ minimum: 1, maximum: 3, description: '1 is the page title; default 2' })) }, { additionalProperties: false });
export const TextBlock = Type.Object({ type: Type.Literal('text'), text: Type.String({ minLength: 1, maxLength: 5000, description: 'Plain text; a blank line starts a paragraph' }) }, { additionalProperties: false });
export const ImageBlock = Type.Object({ type: Type.Literal('image'), url: WebUrl, alt: Type.String({ maxLength: 300, description: 'What the image shows, for those who cannot see it (empty: decoration)' }) }, { additionalProperties: false });
export const FormBlock = Type.Object({ type: Type.Literal('form'), formId: Type.String({ format: 'uuid', description: 'A Tend form; submitted through /f/:id/submit like the hosted form' }) }, { additionalProperties: false });
/** A button's stable name, so a goal can count clicks on that one button whatever its place or label. */
export const CTA_ID = '^[a-z0-9][a-z0-9-]{0,62}$';
export const CtaBlock = Type.Object({
  type: Type.Literal('cta'), label: Type.String({ minLength: 1, maxLength: 100 }), url: WebUrl,
  id: Type.Optional(Type.String({ pattern: CTA_ID, description: 'Names the button for a goal that counts its clicks only, e.g. start-trial; unique within the variant' })),
}, { additionalProperties: false });

const BLOCKS = { heading: HeadingBlock, text: TextBlock, image: ImageBlock, form: FormBlock, cta: CtaBlock } as const;
export type BlockType = keyof typeof BLOCKS;
export const BLOCK_TYPES = Object.keys(BLOCKS) as BlockType[];
export const Block = Type.Union(Object.values(BLOCKS));
export type Block = Static<typeof Block>;

const variantOf = <B extends TSchema>(blocks: B) => Type.Object(
  {
    key: Type.String({ pattern: CONTENT_KEY, description: 'Names the variant on landing_page_viewed events, e.g. short-form' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    weight: Type.Integer({ minimum: 1, maximum: 100, description: 'Its share of visitors while the test runs, relative to the others' }),
    blocks: Type.Array(blocks, { minItems: 1, maxItems: 30 }),
  },
  { additionalProperties: false },
);

export const LandingPageGoal = Type.Object(
  {
    kind: Type.Union([Type.Literal('form'), Type.Literal('event'), Type.Literal('cta')], { description: 'form: a form of the page submitted; event: an event of eventType; cta: a click on one of the page\'s buttons' }),
    eventType: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,100}$' })),
    ctaId: Type.Optional(Type.String({ pattern: CTA_ID, description: 'A cta goal counting clicks on this one button only (its id, in any variant); without it, any of the page\'s buttons' })),
    withinDays: Type.Integer({ minimum: 1, maximum: 90, description: 'Counted when it happens within this many days of a view' }),
  },
  { additionalProperties: false },
);
export type LandingPageGoal = Static<typeof LandingPageGoal>;

const pageOf = <B extends TSchema>(blocks: B) => Type.Object(
  {
    slug: Type.String({ pattern: SLUG, description: 'The page is served at /p/:slug' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'The browser tab\'s title; default the name' })),
    variants: Type.Array(variantOf(blocks), { minItems: 1, maxItems: 5 }),
    goal: LandingPageGoal,
    confidence: Type.Optional(Type.Number({ minimum: 0.8, maximum: 0.999, description: 'A winner is chosen when the test\'s p-value is at most 1 − confidence; default 0.95' })),
    minSample: Type.Optional(Type.Integer({ minimum: 10, maximum: 1_000_000, description: 'Visitors each variant needs before anything is decided; default 100' })),
    requireConsent: Type.Optional(Type.Boolean({ description: 'Ask before the tend_vid cookie: until the visitor accepts, no cookie is set, nothing is recorded and the variant is drawn afresh on each load; default false' })),
  },
  { additionalProperties: false },
);

/** A page as the API takes it (and the OpenAPI document states it). */
export const LandingPageInput = pageOf(Block);
export type LandingPageInput = Static<typeof LandingPageInput>;
/**
 * The same page with any object as a block: the body is checked against this first,
 * then each block against its own type's schema, so a bad block gets its own field's
 * message ("/variants/0/blocks/2/url") instead of every union branch's.
 */
export const LandingPageShape = pageOf(Type.Object({ type: Type.String() }));

/** A person or key that stopped the test and chose the winner by hand (as the audit log names them). */
export interface DecidedBy { kind: 'user' | 'key' | 'system'; id: string | null; name: string }

/** What stops a test by hand (POST /api/landing-pages/:id/winner): the variant everyone sees from then on. */
export const WinnerChoice = Type.Object({ variant: Type.String({ pattern: CONTENT_KEY, description: 'The key of the variant every visitor sees from now on' }) }, { additionalProperties: false });

/** What a preview link shows (POST /api/landing-pages/:id/preview-link): one variant, the first unless named. */
export const PreviewLinkRequest = Type.Object({ variant: Type.Optional(Type.String({ pattern: CONTENT_KEY, description: 'The variant the link shows; default the first' })) }, { additionalProperties: false });

export const DEFAULT_CONFIDENCE = 0.95;
export const DEFAULT_MIN_SAMPLE = 100;
export type PageStatus = 'draft' | 'published' | 'archived';

export interface LandingPage extends Omit<LandingPageInput, 'confidence' | 'minSample' | 'requireConsent'> {
  id: string;
  requireConsent: boolean;
  confidence: number;
  minSample: number;
  status: PageStatus;
  winner: string | null;
  decidedAt: string | null;
  decision: Decision | null;
  /** Who chose the winner by hand; null when the test chose it (or nobody yet). */
  decidedBy: DecidedBy | null;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const ajv = newAjv();
const checkBlock = new Map(Object.entries(BLOCKS).map(([type, schema]) => [type, ajv.compile(JSON.parse(JSON.stringify(schema)))]));

function blockMessage(e: ErrorObject, path: string): FieldError {
  const [p] = ajvProblems([e], path);
  if (e.keyword === 'pattern' && /\/url$/.test(p!.path)) return { path: p!.path, message: 'must be an http:// or https:// address' };
  return p!;
}

/** One block against the schema of its type; problems name the field, e.g. /variants/1/blocks/0/url. */
export function blockProblems(block: { type: string }, path: string): FieldError[] {
  const validate = checkBlock.get(block.type);
  if (!validate) return [{ path: `${path}/type`, message: `must be one of: ${BLOCK_TYPES.join(', ')}` }];
  return validate(block) ? [] : (validate.errors ?? []).map((e) => blockMessage(e, path));
}

/** Every form the page's variants use, once each, in order. */
export const formIdsOf = (page: Pick<LandingPageInput, 'variants'>): string[] =>
  [...new Set(page.variants.flatMap((v) => v.blocks.flatMap((b) => (b.type === 'form' ? [b.formId] : []))))];

/**
 * What a schema cannot check, on a body that passed LandingPageShape: each block by its
 * type, variant keys unique, and a goal that can happen (a form goal needs a form on the
 * page; an event goal names its event).
 */
export function landingPageProblems(page: Static<typeof LandingPageShape>): FieldError[] {
  const problems: FieldError[] = [];
  const seen = new Set<string>();
  page.variants.forEach((v, i) => {
    if (seen.has(v.key)) problems.push({ path: `/variants/${i}/key`, message: `"${v.key}" is used by an earlier variant` });
    seen.add(v.key);
    v.blocks.forEach((b, j) => problems.push(...blockProblems(b, `/variants/${i}/blocks/${j}`)));
  });
  if (problems.length) return problems;
  const checked = page as LandingPageInput;
  if (checked.goal.kind === 'form' && !formIdsOf(checked).length) problems.push({ path: '/goal/kind', message: 'no variant has a form block: add one, or count an event instead' });
  if (checked.goal.kind === 'cta' && !checked.variants.some((v) => v.blocks.some((b) => b.type === 'cta'))) problems.push({ path: '/goal/kind', message: 'no variant has a button block: add one, or count an event instead' });
  problems.push(...ctaIdProblems(checked));
  if (checked.goal.kind !== 'event' && checked.goal.eventType) problems.push({ path: '/goal/eventType', message: 'only an event goal names an event type' });
  if (checked.goal.kind === 'event' && !checked.goal.eventType) problems.push({ path: '/goal/eventType', message: 'name the event that counts as a conversion, e.g. demo_booked' });
  return problems;
}

/** Button ids unique within a variant; a goal's ctaId only on a cta goal, naming a button of some variant. */
function ctaIdProblems(page: LandingPageInput): FieldError[] {
  const problems: FieldError[] = [];
  page.variants.forEach((v, i) => {
    const seen = new Set<string>();
    v.blocks.forEach((b, j) => {
      if (b.type !== 'cta' || b.id === undefined) return;
      if (seen.has(b.id)) problems.push({ path: `/variants/${i}/blocks/${j}/id`, message: `"${b.id}" names an earlier button of this variant` });
      seen.add(b.id);
    });
  });
  const { ctaId } = page.goal;
  if (ctaId === undefined) return problems;
  if (page.goal.kind !== 'cta') problems.push({ path: '/goal/ctaId', message: 'only a cta goal names a button' });
  else if (!page.variants.some((v) => v.blocks.some((b) => b.type === 'cta' && b.id === ctaId))) problems.push({ path: '/goal/ctaId', message: `no variant has a button with id "${ctaId}": give the button that id, or count any button` });
  return problems;
}

/**
 * The variant a visitor sees: the winner once there is one; until then a hash of page
 * and visitor (SHA-256 of `pageId:visitorId`, its first 32 bits as a fraction) against
 * the weights, so the same browser sees the same variant on every visit with nothing
 * stored, and pages split independently of each other.
 * @example chooseVariant({ id, variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }], winner: null }, 'vid-123') // 'a' or 'b', always the same
 */
export function chooseVariant(page: { id: string; variants: { key: string; weight: number }[]; winner: string | null }, visitorId: string): string {
  if (page.winner && page.variants.some((v) => v.key === page.winner)) return page.winner;
  const hash = crypto.createHash('sha256').update(`${page.id}:${visitorId}`).digest();
  const total = page.variants.reduce((s, v) => s + v.weight, 0);
  let at = (hash.readUInt32BE(0) / 2 ** 32) * total;
  for (const v of page.variants) {
    if (at < v.weight) return v.key;
    at -= v.weight;
  }
  return page.variants[page.variants.length - 1]!.key;
}

/**
 * Before consent: a variant drawn by the weights for this one load, sticky to nothing
 * (the winner once there is one).
 */
export const drawVariant = (page: Parameters<typeof chooseVariant>[0]): string => chooseVariant(page, crypto.randomUUID());

/**
 * A visitor id that the split puts in `variant`: a visitor who accepts the cookie stays
 * on the variant they saw before, with nothing stored but the id itself. `known` (an id
 * the visitor has already) is kept when the split agrees; otherwise a new one is drawn.
 * The smallest share is 1 in 401 (weights 1 against four of 100), so a few hundred hashes
 * at most in practice; after 20,000 tries (odds below e^-49) any id is returned.
 */
export function visitorIdFor(page: { id: string; variants: { key: string; weight: number }[] }, variant: string, known?: string): string {
  const split = { ...page, winner: null };
  if (known && chooseVariant(split, known) === variant) return known;
  let id = crypto.randomUUID();
  for (let i = 0; i < 20_000 && chooseVariant(split, id) !== variant; i++) id = crypto.randomUUID();
  return id;
}

/** A variant's figures: visitors who saw it during the test, and how many of them converted. */
export interface VariantFigures { variant: string; viewers: number; converted: number; rate: number }

export interface Decision {
  /** The variant that won; null while nothing is decided. */
  winner: string | null;
  method: typeof TEST_METHOD;
  /** The best variant against the runner-up that is hardest to beat, Bonferroni-adjusted with more than two variants; null until every variant has a visitor. */
  pValue: number | null;
  /** In words, for the API and the editor: "two-proportion z-test, p = 0.0031". */
  summary: string;
  /** Why there is no winner yet, or why this one won. */
  reason: string;
  figures: VariantFigures[];
}

/**
 * The decision of a person who stopped the test: the chosen variant, with the test's
 * figures and p-value of that moment kept beside it, so a choice against the figures
 * can be seen as one later.
 */
export function chosenByHand(test: Decision, variant: string, by: DecidedBy): Decision {
  return { ...test, winner: variant, reason: `chosen by hand by ${by.name}; the test then: ${test.reason}` };
}

/** p-values as people read them: three significant digits, tiny ones as "< 0.0001". */
export const formatP = (p: number): string => (p < 0.0001 ? '< 0.0001' : `= ${Number(p.toPrecision(p < 0.01 ? 2 : 3))}`);

/**
 * Whether a variant has won. Once every variant has `minSample` viewers, the best rate
 * (the first on a tie) is compared with every other variant by the pooled two-proportion
 * z-test (results/lift.ts); with k variants each p-value is multiplied by k − 1
 * (Bonferroni), since the best is picked after looking. It wins when the largest of
 * them is at most 1 − confidence.
 * @example decide([{ variant: 'a', viewers: 400, converted: 40, rate: 0.1 }, { variant: 'b', viewers: 400, converted: 80, rate: 0.2 }], { confidence: 0.95, minSample: 100 }).winner // 'b'
 */
export function decide(figures: VariantFigures[], rule: { confidence: number; minSample: number }): Decision {
  const base = { method: TEST_METHOD, figures } as const;
  const best = figures.reduce<VariantFigures | undefined>((a, b) => (!a || b.rate > a.rate ? b : a), undefined);
  const others = figures.filter((f) => f !== best);
  const ps = best && best.viewers ? others.map((o) => (o.viewers ? lift({ n: best.viewers, converted: best.converted }, { n: o.viewers, converted: o.converted })?.pValue ?? 1 : null)) : [];
  const pValue = ps.length && ps.every((p) => p !== null) ? Math.min(1, Math.max(...(ps as number[])) * others.length) : null;
  const summary = pValue === null ? `${TEST_METHOD}: not enough visitors yet` : `${TEST_METHOD}, p ${formatP(pValue)}`;
  const undecided = (reason: string): Decision => ({ ...base, winner: null, pValue, summary, reason });
  if (!best || !others.length) return undecided('one variant: there is nothing to compare it with');
  const short = figures.find((f) => f.viewers < rule.minSample);
  if (short) return undecided(`each variant needs ${rule.minSample} visitors before anything is decided; ${short.variant} has ${short.viewers}`);
  if (pValue === null || pValue > 1 - rule.confidence) return undecided(`not yet ${Math.round(rule.confidence * 1000) / 10}% confident that ${best.variant} converts best`);
  return { ...base, winner: best.variant, pValue, summary, reason: `${best.variant} converts best at ${Math.round(rule.confidence * 1000) / 10}% confidence` };
}
