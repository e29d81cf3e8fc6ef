// Conversion attribution and revenue of a program, and its lift over the holdout.
//
// A conversion is an event that meets the program's goal (`settings.goal`, reading only
// the event) within `settings.attributionWindow` (default 7 days) after a touch of the
// program: the contact's entry (outside the holdout) or a message it sent them. Each
// conversion counts once for the program, with the value at `settings.goalValue` as
// revenue, and is credited to one touch per model: last touch (the latest touch in the
// window before it) and first touch (the earliest). A touch is a node (the trigger node
// for an entry) and, for a message, the message. Programs are measured each on its own:
// one purchase after emails of two programs is a conversion of both.
//
// Lift compares entries, not touches: of the entries in the period, the share with a
// conversion within the window after entering, for entrants who got the program and
// for the held-out ones (engine/dispatch/holdout.ts), with the statistics of engine/results/lift.ts.
// Everything is read at request time (storage/attribution.ts): nothing is written per event.
import type { Queryable } from '../storage/db.js';
import type { Condition } from '../plugin/conditions.js';
import type { FlowSettings } from '../flow/document.js';
import { DEFAULT_WINDOW, readsOnlyTheEvent } from './attribution-rules.js';
import { durationMs } from '../plugin/duration.js';
import { cohorts, conversions, type ConversionRow } from '../storage/attribution.js';
import { CONFIDENCE, LIFT_METHOD, lift, type Lift } from './lift.js';

interface Credit { conversions: number; revenue: number }
export interface AttributionReport {
  version: number;
  days: number;
  since: string;
  goal: Condition;
  value: string | null;
  window: string;
  holdoutPercent: number;
  conversions: number;
  revenue: number;
  /** Contacts with at least one conversion. */
  contacts: number;
  byNode: { nodeId: string; lastTouch: Credit; firstTouch: Credit }[];
  byMessage: { messageId: string; nodeId: string; lastTouch: Credit; firstTouch: Credit }[];
  groups: Record<'treated' | 'holdout', { entrants: number; converted: number; rate: number; revenue: number; revenuePerEntrant: number }>;
  lift: (Lift & { confidence: number; method: string; incrementalRevenue: number }) | null;
  perDay: { day: string; conversions: number; revenue: number; treatedRate: number | null; holdoutRate: number | null; lift: number | null; low: number | null; high: number | null }[];
}

export interface AttributionInput { programId: string; version: number; settings: FlowSettings; days: number; now?: Date }

/** Days from `since` to `now`, as YYYY-MM-DD (UTC). */
function daysOf(since: Date, now: Date): string[] {
  const out: string[] = [];
  for (let t = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()); t <= now.getTime(); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function credit<K extends string>(rows: ConversionRow[], key: (r: ConversionRow, model: 'last' | 'first') => K | null) {
  const table = new Map<K, { lastTouch: Credit; firstTouch: Credit }>();
  for (const r of rows) {
    for (const model of ['last', 'first'] as const) {
      const k = key(r, model);
      if (k === null) continue;
      const entry = table.get(k) ?? { lastTouch: { conversions: 0, revenue: 0 }, firstTouch: { conversions: 0, revenue: 0 } };
      const c = model === 'last' ? entry.lastTouch : entry.firstTouch;
      c.conversions += 1;
      c.revenue += r.value;
      table.set(k, entry);
    }
  }
  return table;
}

/** The figures of one program over the last `days` days; undefined when its goal cannot be counted. */
export async function attributionReport(db: Queryable, input: AttributionInput): Promise<AttributionReport | undefined> {
  const { settings } = input;
  const goal = settings.goal as Condition | undefined;
  if (!goal || !readsOnlyTheEvent(goal)) return undefined;
  const now = input.now ?? new Date();
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (input.days - 1) * 86_400_000);
  const window = settings.attributionWindow ?? DEFAULT_WINDOW;
  const q = { programId: input.programId, goal, valuePath: settings.goalValue, windowSecs: durationMs(window) / 1000, since };
  const [converted, cohortRows] = await Promise.all([conversions(db, q), cohorts(db, q)]);

  const nodes = credit(converted, (r, m) => (m === 'last' ? r.last_node : r.first_node));
  const messages = credit(converted, (r, m) => (m === 'last' ? r.last_message : r.first_message));
  const nodeOfMessage = new Map(converted.flatMap((r) => [[r.last_message, r.last_node], [r.first_message, r.first_node]] as const));

  const group = (heldOut: boolean) => {
    const rows = cohortRows.filter((r) => r.held_out === heldOut);
    const entrants = rows.reduce((n, r) => n + r.entrants, 0);
    const conv = rows.reduce((n, r) => n + r.converted, 0);
    const revenue = rows.reduce((n, r) => n + r.revenue, 0);
    return { entrants, converted: conv, rate: entrants ? conv / entrants : 0, revenue, revenuePerEntrant: entrants ? revenue / entrants : 0 };
  };
  const treated = group(false);
  const holdout = group(true);
  const overall = lift({ n: treated.entrants, converted: treated.converted }, { n: holdout.entrants, converted: holdout.converted });

  // Lift over time: the entries up to each day, cumulated (a day's own cohort is too small to read).
  const running = { t: { n: 0, c: 0 }, h: { n: 0, c: 0 } };
  const perDay = daysOf(since, now).map((day) => {
    for (const r of cohortRows.filter((x) => x.day === day)) {
      const side = r.held_out ? running.h : running.t;
      side.n += r.entrants;
      side.c += r.converted;
    }
    const l = lift({ n: running.t.n, converted: running.t.c }, { n: running.h.n, converted: running.h.c });
    const today = converted.filter((r) => r.day === day);
    return {
      day,
      conversions: today.length,
      revenue: today.reduce((n, r) => n + r.value, 0),
      treatedRate: running.t.n ? running.t.c / running.t.n : null,
      holdoutRate: running.h.n ? running.h.c / running.h.n : null,
      lift: l?.difference ?? null,
      low: l?.low ?? null,
      high: l?.high ?? null,
    };
  });

  return {
    version: input.version,
    days: input.days,
    since: since.toISOString(),
    goal,
    value: settings.goalValue ?? null,
    window,
    holdoutPercent: settings.holdoutPercent ?? 0,
    conversions: converted.length,
    revenue: converted.reduce((n, r) => n + r.value, 0),
    contacts: new Set(converted.map((r) => r.contact_id)).size,
    byNode: [...nodes].map(([nodeId, c]) => ({ nodeId, ...c })).sort((a, b) => b.lastTouch.conversions - a.lastTouch.conversions || a.nodeId.localeCompare(b.nodeId)),
    byMessage: [...messages].map(([messageId, c]) => ({ messageId, nodeId: nodeOfMessage.get(messageId)!, ...c }))
      .sort((a, b) => b.lastTouch.revenue - a.lastTouch.revenue || b.lastTouch.conversions - a.lastTouch.conversions).slice(0, 50),
    groups: { treated, holdout },
    lift: overall && {
      ...overall,
      confidence: CONFIDENCE,
      method: LIFT_METHOD,
      // What the treated entrants made beyond what the holdout's rate of revenue predicts for them.
      incrementalRevenue: (treated.revenuePerEntrant - holdout.revenuePerEntrant) * treated.entrants,
    },
    perDay,
  };
}
