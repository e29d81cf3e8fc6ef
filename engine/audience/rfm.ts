// RFM: recency, frequency and monetary value of purchases as scores 1–5 on the
// contact (`attributes.rfm_recency` …), with the facts behind them. Kept current in two
// ways: a purchase event refreshes its contact in the dispatch step, before programs
// see the event; and time, which only lowers scores, is handled by a due queue
// (`rfm_due`) that the dispatcher's tick reads from its due end. Every change goes
// through `updateContactFields`, so it is a `tend.contact_changed` event like any other.
// Off until an operator turns it on; turning it on reads past purchases from the timeline.
//
// Score boundaries are fixed thresholds (settings), not quantiles: a contact's score
// changes only because of their own purchases or the clock, never because other
// customers bought more, so "became 5" triggers mean something, scores can be
// explained to a marketer ("5 = bought within 30 days"), and nothing has to rescan
// every contact to recompute the quantiles. See MARKETING-DATA.md, "RFM".
import { Type, type Static } from '@sinclair/typebox';
import type pg from 'pg';
import type { Db, Queryable } from '../storage/db.js';
import { readSetting, writeSetting } from '../storage/settings.js';
import { transaction } from '../storage/db.js';
import { DURATION_PATTERN, durationMs } from '../plugin/duration.js';
import { readPath } from '../plugin/conditions.js';
import { getContact, updateContactFields } from '../storage/contacts.js';
import type { EventRow } from '../storage/events.js';
import {
  claimDueRfm, clearRfmQueue, lockRfm, planRfmRecheck, purchaseFacts, queueAllPurchasers, recordPurchase, rereadPurchases, tryLockRfm,
} from '../storage/rfm.js';

const Duration = Type.String({ pattern: DURATION_PATTERN });

export const RfmSettings = Type.Object(
  {
    enabled: Type.Boolean({ default: false, description: 'Off until turned on; turning it on reads the purchase history from the timeline' }),
    eventType: Type.String({ pattern: '^(?!tend\\.)[A-Za-z0-9_.:-]{1,100}$', default: 'order_completed', description: 'The purchase event' }),
    valueProperty: Type.String({ pattern: '^[A-Za-z0-9_$-]{1,64}(\\.[A-Za-z0-9_$-]{1,64}){0,7}$', default: 'value', description: 'Path in the event properties to the purchase value: "value", "order.total"' }),
    window: Type.String({ pattern: DURATION_PATTERN, default: '365 days', description: 'Frequency and monetary value count purchases within this window' }),
    recency: Type.Array(Duration, { minItems: 4, maxItems: 4, description: 'Last purchase less than [0] ago scores 5, less than [1] 4, [2] 3, [3] 2; else 1' }),
    frequency: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 4, maxItems: 4, description: 'Purchases in the window: at least [0] scores 2, [1] 3, [2] 4, [3] 5; fewer 1' }),
    monetary: Type.Array(Type.Number({ minimum: 0 }), { minItems: 4, maxItems: 4, description: 'Value in the window: at least [0] scores 2, [1] 3, [2] 4, [3] 5; less 1' }),
  },
  { additionalProperties: false },
);
export type RfmSettings = Static<typeof RfmSettings>;

export const RfmSettingsInput = Type.Partial(RfmSettings, { additionalProperties: false });
export type RfmSettingsInput = Static<typeof RfmSettingsInput>;

export const DEFAULT_RFM: RfmSettings = {
  enabled: false,
  eventType: 'order_completed',
  valueProperty: 'value',
  window: '365 days',
  recency: ['30 days', '90 days', '180 days', '365 days'],
  frequency: [2, 3, 5, 10],
  monetary: [100, 250, 500, 1000],
};

export function rfmProblems(s: RfmSettings): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const ascending = (values: number[], path: string) => {
    for (let i = 1; i < values.length; i++) if (!(values[i]! > values[i - 1]!)) problems.push({ path: `${path}/${i}`, message: `must be greater than ${path}/${i - 1}: the boundaries go from the best score down` });
  };
  ascending(s.recency.map(durationMs), '/recency');
  ascending(s.frequency, '/frequency');
  ascending(s.monetary, '/monetary');
  return problems;
}

const SETTINGS_KEY = 'rfm_settings';

/**
 * Read for every dispatched event; cached for two seconds, forgotten at once when this
 * process writes. Another server process sees a change within two seconds: a purchase
 * it dispatches in that gap is copied under the old settings (or, just after RFM was
 * turned on, not at all). ARCHITECTURE.md already asks for one dispatching server
 * process per database; with several, save the settings at a quiet moment.
 */
let cache: { at: number; settings: RfmSettings } | undefined;

export async function readRfmSettings(db: Queryable): Promise<RfmSettings> {
  return { ...DEFAULT_RFM, ...(await readSetting<Partial<RfmSettings>>(db, SETTINGS_KEY)) };
}

async function cachedSettings(db: Queryable): Promise<RfmSettings> {
  if (!cache || Date.now() - cache.at > 2000) cache = { at: Date.now(), settings: await readRfmSettings(db) };
  return cache.settings;
}

/**
 * Stores new settings and queues every purchaser for a re-score on the next ticks (a
 * one-off pass when an operator changes the settings, not a periodic scan). Turning
 * RFM on, or changing what a purchase is, re-reads the purchases from the timeline
 * once, so nothing bought before is missed; contacts who no longer have any lose
 * their RFM attributes.
 */
export async function writeRfmSettings(db: Db, settings: RfmSettings): Promise<void> {
  const before = await readRfmSettings(db);
  const reread = settings.enabled && (!before.enabled || before.eventType !== settings.eventType || before.valueProperty !== settings.valueProperty);
  await transaction(db, async (tx) => {
    await writeSetting(tx, SETTINGS_KEY, settings);
    if (!settings.enabled) {
      // Off: nothing is re-checked; the scores stay as they were last computed.
      await clearRfmQueue(tx);
      return;
    }
    if (reread) {
      await queueAllPurchasers(tx); // those scored under the old definition, re-scored (or cleared) too
      await rereadPurchases(tx, settings.eventType, settings.valueProperty.split('.'));
    }
    await queueAllPurchasers(tx);
  });
  cache = undefined;
}

export interface RfmFacts {
  /** The latest purchase ever (not only within the window). */
  lastAt: Date;
  /** Purchases and their total value within the window. */
  count: number;
  total: number;
  /** The oldest purchase within the window: when it leaves, frequency and value may drop. */
  oldestInWindow: Date | null;
}

export interface RfmScores {
  recency: number;
  frequency: number;
  monetary: number;
}

/** Scores 1–5 from the facts. `rfmScores({lastAt: 10 days ago, count: 3, total: 300, …}, DEFAULT_RFM, now)` → {5, 3, 3}. */
export function rfmScores(facts: RfmFacts, s: RfmSettings, now: Date): RfmScores {
  const since = now.getTime() - facts.lastAt.getTime();
  const r = s.recency.findIndex((d) => since < durationMs(d));
  return {
    recency: r === -1 ? 1 : 5 - r,
    frequency: 1 + s.frequency.filter((t) => facts.count >= t).length,
    monetary: 1 + s.monetary.filter((t) => facts.total >= t).length,
  };
}

/** When the scores may next change with no purchase: the next recency boundary, or the oldest purchase leaving the window. */
export function nextRecheck(facts: RfmFacts, s: RfmSettings, now: Date): Date | undefined {
  const candidates: number[] = [];
  const boundary = s.recency.map((d) => facts.lastAt.getTime() + durationMs(d)).find((t) => t > now.getTime());
  if (boundary !== undefined) candidates.push(boundary);
  // At least a second ahead: the database keeps microseconds that a JS date rounds away.
  if (facts.oldestInWindow) candidates.push(Math.max(facts.oldestInWindow.getTime() + durationMs(s.window), now.getTime() + 1000));
  return candidates.length ? new Date(Math.min(...candidates)) : undefined;
}

const RFM_ATTRIBUTES = { rfm_recency: 1, rfm_frequency: 1, rfm_monetary: 1, rfm_last_purchase_at: 1, rfm_purchase_count: 1, rfm_purchase_total: 1 };

/** The contact attributes RFM owns. */
export function rfmAttributes(facts: RfmFacts, scores: RfmScores): Record<string, unknown> {
  return {
    rfm_recency: scores.recency,
    rfm_frequency: scores.frequency,
    rfm_monetary: scores.monetary,
    rfm_last_purchase_at: facts.lastAt.toISOString(),
    rfm_purchase_count: facts.count,
    rfm_purchase_total: facts.total,
  };
}

/** The purchase value at the configured path: a number or a numeric string, else 0. */
export function purchaseValue(properties: Record<string, unknown>, path: string): number {
  const raw = readPath(properties, path);
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : NaN;
  return Number.isFinite(n) ? n : 0;
}

/** Re-reads one contact's purchases, writes changed scores and facts, and plans the next time check. In the caller's transaction, under the contact's RFM lock. */
async function refresh(tx: pg.PoolClient, contactId: string, s: RfmSettings, context: Record<string, unknown>): Promise<void> {
  const now = new Date();
  const since = new Date(now.getTime() - durationMs(s.window));
  const f = await purchaseFacts(tx, contactId, since);
  if (!f?.last_at) {
    await planRfmRecheck(tx, contactId, undefined);
    // No purchase (any more, under changed settings): no scores rather than stale ones.
    const contact = await getContact(tx, contactId);
    const stale = Object.keys(contact?.attributes ?? {}).filter((k) => Object.hasOwn(RFM_ATTRIBUTES, k));
    if (stale.length) await updateContactFields(tx, contactId, { attributes: Object.fromEntries(stale.map((k) => [k, null])) }, { by: 'rfm', ...context });
    return;
  }
  const facts: RfmFacts = { lastAt: f.last_at, count: f.count, total: Number(f.total), oldestInWindow: f.oldest };
  const wanted = rfmAttributes(facts, rfmScores(facts, s, now));
  const contact = await getContact(tx, contactId);
  if (!contact) return;
  // Written only when something moved: the timeline gets a change, not a heartbeat.
  if (Object.entries(wanted).some(([k, v]) => JSON.stringify(contact.attributes[k]) !== JSON.stringify(v))) {
    await updateContactFields(tx, contactId, { attributes: wanted }, { by: 'rfm', ...context });
  }
  await planRfmRecheck(tx, contactId, nextRecheck(facts, s, now));
}

/** In the dispatch step of every event: a purchase is recorded and its contact re-scored before programs see the event. */
export async function rfmOnEvent(db: Db, row: EventRow): Promise<boolean> {
  const s = await cachedSettings(db);
  if (!s.enabled || row.type !== s.eventType) return false;
  await transaction(db, async (tx) => {
    await lockRfm(tx, row.contact_id);
    // A re-dispatched event finds its row and only re-reads: the facts come out the same.
    await recordPurchase(tx, { eventId: row.id, contactId: row.contact_id, occurredAt: row.occurred_at, value: purchaseValue(row.properties, s.valueProperty) });
    await refresh(tx, row.contact_id, s, { eventId: row.id });
  });
  return true;
}

/** On the dispatcher's tick: re-scores contacts whose scores are due to change by time, a batch at a time from the due end of the index. */
export async function recheckDueRfm(db: Db, limit = 200): Promise<number> {
  return transaction(db, async (tx) => {
    // Read fresh, inside the transaction: settings cached from before RFM was turned on
    // would take the rows it just queued for "off" and delete them.
    const s = await readRfmSettings(tx);
    const due = await claimDueRfm(tx, limit);
    let done = 0;
    for (const contact_id of due) {
      // A purchase being scored holds this lock; it re-plans the row itself, so skip rather than wait (and never deadlock with it).
      if (!(await tryLockRfm(tx, contact_id))) continue;
      if (!s.enabled) await planRfmRecheck(tx, contact_id, undefined);
      else await refresh(tx, contact_id, s, { recheck: true });
      done += 1;
    }
    return done;
  });
}
