// Serving website content: for a page's slots and its visitor (the tracking cookie's
// id), the variant each slot shows, and the pop-up forms the visitor may see. Called on
// every page view of the customer's site, so what is the same for every visitor is
// cached in the process for a few seconds — that the site key is live, the slots'
// definitions (cleaned again as they are loaded), the active pop-ups — while the
// visitor is read fresh each time: whoever just joined a segment sees it on the next
// page, and nothing about a person is kept in memory.
import type { Queryable } from '../storage/db.js';
import { verifySiteKey } from '../access/site-keys.js';
import { knownVisitor } from '../audience/identity.js';
import { getContact } from '../storage/contacts.js';
import { liveContentSlots } from '../storage/content-slots.js';
import { chooseContent, type ContentChoice, type ContentSlotInput } from './content-slots.js';
import { cleanContentHtml } from './content-html.js';
import { livePopups } from '../storage/form-popups.js';
import { popupsFor, type Popup, type PopupInput, type ServedPopup } from './form-popups.js';

type Slots = Map<string, Pick<ContentSlotInput, 'defaultHtml' | 'variants'>>;
interface Site { slots: Slots; popups: Popup[] }

export interface ContentAnswer {
  slots: Record<string, ContentChoice>;
  /** Only when asked for. */
  popups?: ServedPopup[];
}

export interface ContentServer {
  /** Each asked slot that exists with its choice for this visitor, and (when asked) their pop-ups; undefined for an unknown or revoked site key. */
  answer(siteKey: string, visitorId: string | undefined, ask: { slots: string[]; popups: boolean }): Promise<ContentAnswer | undefined>;
  /** Drops the cached slots and pop-ups (after a change through this server's API). */
  forget(): void;
}

/** How long this process trusts what it cached: a change made through another server, or a revoked key, counts within it. */
export const CONTENT_CACHE_MS = 10_000;
/** Live site keys remembered at most: a flood of made-up keys is never cached (only live ones are). */
const MAX_KEYS = 1000;

export function createContentServer(db: Queryable, ttlMs = CONTENT_CACHE_MS, now = () => Date.now()): ContentServer {
  const keys = new Map<string, number>();
  let site: { at: number; loading: Promise<Site> } | undefined;

  const liveKey = async (key: string): Promise<boolean> => {
    const at = keys.get(key);
    if (at !== undefined && now() - at < ttlMs) return true;
    keys.delete(key);
    if (!(await verifySiteKey(db, key))) return false;
    if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value!);
    keys.set(key, now());
    return true;
  };

  // One load at a time however many requests miss together; a failed load is not kept.
  const loadSite = (): Promise<Site> => {
    if (site && now() - site.at < ttlMs) return site.loading;
    const loading = Promise.all([liveContentSlots<ContentSlotInput['variants'][number]>(db), livePopups<PopupInput>(db)]).then(([rows, popups]) => ({
      slots: new Map([...rows].map(([key, d]) => [key, {
        defaultHtml: d.defaultHtml == null ? null : cleanContentHtml(d.defaultHtml),
        variants: d.variants.map((v) => ({ ...v, html: cleanContentHtml(v.html) })),
      }])),
      popups,
    }));
    site = { at: now(), loading };
    loading.catch(() => { if (site?.loading === loading) site = undefined; });
    return loading;
  };

  return {
    async answer(siteKey, visitorId, ask) {
      const [live, all] = await Promise.all([liveKey(siteKey), loadSite()]);
      if (!live) return undefined;
      const slotKeys = ask.slots.filter((k) => all.slots.has(k));
      const popups = ask.popups ? all.popups : [];
      // Nothing that depends on the visitor: no need to read them.
      const contactId = visitorId && (slotKeys.length || popups.length) ? await knownVisitor(db, visitorId) : undefined;
      const contact = contactId ? await getContact(db, contactId) : undefined;
      const slots = Object.fromEntries(slotKeys.map((k) => [k, chooseContent(all.slots.get(k)!, contact as unknown as Record<string, unknown> | undefined)]));
      return ask.popups ? { slots, popups: popupsFor(popups, contact) } : { slots };
    },
    forget() { site = undefined; },
  };
}
