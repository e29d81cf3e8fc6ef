// Website content slots: a block of the customer's site (`data-tend-slot="key"`) that
// shows the first variant whose condition holds for the visitor, or the default. The
// definition, what a schema cannot check, and the choice; pure. Storage is in
// storage/content-slots.ts, serving (caches, the visitor) in website-content.ts.
import { Type, type Static } from '@sinclair/typebox';
import { Condition } from '../plugin/condition-schema.js';
import { conditionProblems, evaluate, type Condition as ConditionValue } from '../plugin/conditions.js';
import type { FieldError } from '../ops/errors.js';

/** A slot's key as the page names it in data-tend-slot, and a variant's key as events name it. */
export const CONTENT_KEY = '^[a-z0-9][a-z0-9_-]{0,62}$';
/** What a variant may hold; cleaned to the allow-list of content-html.ts. */
const Html = Type.String({ maxLength: 20000, description: 'HTML, cleaned on save to the allowed elements (engine/SECURITY.md)' });

/** The variant key events carry when no rule picked one: the slot's default. */
export const DEFAULT_VARIANT = 'default';

export const ContentVariant = Type.Object(
  {
    key: Type.String({ pattern: CONTENT_KEY, description: 'Names the variant on content_shown and content_clicked events, e.g. vip-offer' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    html: Html,
    // Who sees it: the contact (segments, stage, score, attributes, tags); the first variant whose condition holds wins.
    condition: Condition,
  },
  { additionalProperties: false },
);

export const ContentSlotInput = Type.Object(
  {
    key: Type.String({ pattern: CONTENT_KEY, description: 'What the page names it by: <div data-tend-slot="key">' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    defaultHtml: Type.Optional(Type.Union([Html, Type.Null()], { description: 'For visitors no variant picks (unknown visitors too); null or absent: the page keeps its own content' })),
    variants: Type.Array(ContentVariant, { maxItems: 20, description: 'In order: the first whose condition holds is shown' }),
  },
  { additionalProperties: false },
);
export type ContentSlotInput = Static<typeof ContentSlotInput>;

export interface ContentSlot extends ContentSlotInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * What a schema cannot check: variant keys unique and not `default`, conditions that
 * read only the contact. Facts about past events are refused: they would cost a query
 * per fact on every page view; a segment with the fact keeps membership up to date
 * beforehand, and `contact.segments` reads it for free.
 */
export function contentSlotProblems(slot: ContentSlotInput): FieldError[] {
  const problems: FieldError[] = [];
  const seen = new Set<string>();
  slot.variants.forEach((v, i) => {
    if (v.key === DEFAULT_VARIANT) problems.push({ path: `/variants/${i}/key`, message: `"${DEFAULT_VARIANT}" names the slot's default; choose another key` });
    else if (seen.has(v.key)) problems.push({ path: `/variants/${i}/key`, message: `"${v.key}" is used by an earlier variant` });
    seen.add(v.key);
    const condition = conditionProblems(v.condition, `/variants/${i}/condition`, { facts: false, roots: ['contact'] });
    problems.push(...condition.map((p) => (p.path.endsWith('/fact') ? { ...p, message: 'facts about past events cannot pick website content (each page view would count them); make a segment with the fact and use contact.segments' } : p)));
  });
  return problems;
}

/** What the visitor is shown in one slot: a variant's key and HTML, or the default (null HTML: keep the page's own). */
export interface ContentChoice {
  variant: string;
  html: string | null;
}

/**
 * The first variant whose condition holds for this contact, else the default. An
 * unknown visitor is `undefined`: conditions read an empty contact, so a rule like
 * "email is not set" can still pick a variant for strangers.
 * @example chooseContent(slot, { score: 80, segments: ['vip'], attributes: {} })
 */
export function chooseContent(slot: Pick<ContentSlotInput, 'variants' | 'defaultHtml'>, contact: Record<string, unknown> | undefined): ContentChoice {
  const scope = { contact: contact ?? {} };
  const hit = slot.variants.find((v) => evaluate(v.condition, scope));
  return hit ? { variant: hit.key, html: hit.html } : { variant: DEFAULT_VARIANT, html: slot.defaultHtml ?? null };
}
