// Pop-up and slide-in forms: a form that t.js shows by itself on the customer's site.
// The definition, what a schema cannot check, and who gets it (decided on the server
// from the visitor's segments); pure. The browser keeps the rest: when the trigger
// fires, and how long it is left alone after a close or a submit (server/public/t.js).
import { Type, type Static } from '@sinclair/typebox';
import type { FieldError } from '../ops/errors.js';
import { SEGMENT_KEY } from '../audience/segments/store.js';

export const POPUP_TRIGGERS = ['exit-intent', 'scroll', 'time', 'page-views'] as const;
export type PopupTrigger = (typeof POPUP_TRIGGERS)[number];

/** What `threshold` means for each trigger, and its range; exit intent takes none. */
export const THRESHOLDS: Record<Exclude<PopupTrigger, 'exit-intent'>, { what: string; min: number; max: number }> = {
  scroll: { what: 'percent of the page scrolled', min: 1, max: 100 },
  time: { what: 'seconds on the page', min: 1, max: 3600 },
  'page-views': { what: 'page views in this browser (this one included)', min: 1, max: 100 },
};

export const PopupInput = Type.Object(
  {
    style: Type.Union([Type.Literal('modal'), Type.Literal('slide-in')], { description: 'modal: centred over a dimmed page; slide-in: a panel in the bottom-right corner' }),
    trigger: Type.Union(POPUP_TRIGGERS.map((t) => Type.Literal(t)), { description: 'exit-intent: the pointer leaves through the top of the window; scroll: past `threshold` percent; time: after `threshold` seconds; page-views: on the `threshold`-th page view in this browser' }),
    threshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    hideDaysAfterClose: Type.Integer({ minimum: 0, maximum: 365, description: 'Not shown again in this browser for this many days after it was closed (0: next page view)' }),
    hideDaysAfterSubmit: Type.Integer({ minimum: 0, maximum: 3650, description: 'Not shown again in this browser for this many days after it was submitted' }),
    segments: Type.Array(Type.String({ pattern: SEGMENT_KEY }), { maxItems: 20, uniqueItems: true, description: 'Shown only to visitors in one of these segments; empty: to everyone, strangers too' }),
    pages: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Only on pages whose path matches this pattern (* any characters), e.g. /pricing*' })),
    active: Type.Boolean({ description: 'false: kept, not shown' }),
  },
  { additionalProperties: false },
);
export type PopupInput = Static<typeof PopupInput>;

export interface Popup extends PopupInput {
  formId: string;
  updatedAt: string;
}

/** What a schema cannot check: the threshold each trigger needs, and segments that exist. */
export function popupProblems(p: PopupInput, liveSegments: ReadonlySet<string>): FieldError[] {
  const problems: FieldError[] = [];
  if (p.trigger === 'exit-intent') {
    if (p.threshold !== undefined) problems.push({ path: '/threshold', message: 'exit intent takes no threshold' });
  } else {
    const t = THRESHOLDS[p.trigger];
    if (p.threshold === undefined || p.threshold < t.min || p.threshold > t.max) problems.push({ path: '/threshold', message: `a ${p.trigger} trigger needs a threshold from ${t.min} to ${t.max} (${t.what})` });
  }
  p.segments.forEach((s, i) => { if (!liveSegments.has(s)) problems.push({ path: `/segments/${i}`, message: `no segment has key "${s}"` }); });
  return problems;
}

/** What the browser needs to show a pop-up: everything but the audience, which stays on the server. */
export type ServedPopup = Omit<Popup, 'segments' | 'active' | 'updatedAt'>;

/**
 * The active pop-ups this visitor may see: those for everyone, and those naming a
 * segment the contact is in. A stranger (no contact) gets only those for everyone.
 * @example popupsFor(popups, { segments: ['trial'] })
 */
export function popupsFor(popups: readonly Popup[], contact: { segments?: string[] } | undefined): ServedPopup[] {
  const theirs = new Set(contact?.segments ?? []);
  return popups
    .filter((p) => p.active && (p.segments.length === 0 || p.segments.some((s) => theirs.has(s))))
    .map(({ segments: _s, active: _a, updatedAt: _u, ...served }) => served);
}
