// The predictive lead score: a logistic regression (mljs' ml-logistic-regression)
// trained on past leads — contacts with activity — labelled by whether they did the
// conversion event. Features are the counts of chosen event types in a window before
// the conversion (or before now, for those who have not converted) plus the score,
// log-scaled and standardised. The model is retrained on a schedule by the dispatcher's
// tick; each lead's probability of converting is kept as a 0–100 contact attribute
// (`readiness`), refreshed when one of their feature events arrives and for everyone
// after a retraining. It is an ordinary attribute: if/else, segments and field-changed
// triggers read it, and changing it records `tend.contact_changed`.
import type { PoolClient } from 'pg';
import crypto from 'node:crypto';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { Type, type Static } from '@sinclair/typebox';
import type { Db, Queryable } from '../storage/db.js';
import { transaction } from '../storage/db.js';
import { DURATION_PATTERN, addDuration, durationMs } from '../plugin/duration.js';
import { updateContactFields } from '../storage/contacts.js';
import { attributeOf, leadCounts, newestModelRow, settingsRow, storeModel, storeSettings, tryLockTraining, unlockTraining } from '../storage/predictive.js';

const EVENT_TYPE = { pattern: '^[A-Za-z0-9_.:-]{1,100}$' };

export const PredictiveSettings = Type.Object(
  {
    enabled: Type.Boolean(),
    conversionEvent: Type.String({ ...EVENT_TYPE, description: 'The event that makes a lead a customer, e.g. deal_won' }),
    features: Type.Array(Type.String(EVENT_TYPE), { minItems: 1, maxItems: 30, uniqueItems: true, description: 'Event types whose counts predict conversion' }),
    window: Type.String({ pattern: DURATION_PATTERN, description: 'Activity counted over this long before conversion (or now)' }),
    retrainEvery: Type.String({ pattern: DURATION_PATTERN }),
    minExamples: Type.Integer({ minimum: 10, maximum: 1_000_000, description: 'Leads needed, converted and not, before a model is trained' }),
    field: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$', description: 'Contact attribute that holds the 0–100 readiness' }),
  },
  { additionalProperties: false },
);
export type PredictiveSettings = Static<typeof PredictiveSettings>;

export const DEFAULT_SETTINGS: PredictiveSettings = {
  enabled: false,
  conversionEvent: 'deal_won',
  features: ['page_view', 'email_opened', 'email_clicked', 'form_submitted'],
  window: '30 days',
  retrainEvery: '1 day',
  minExamples: 20,
  field: 'readiness',
};

/** What is stored per trained model: enough to score a contact the same way again. */
export interface TrainedModel {
  features: string[];
  conversionEvent: string;
  window: string;
  field: string;
  means: number[];
  stds: number[];
  regression: unknown;
  /** Weight per input (bias first), in standard deviations: which activity predicts. */
  weights: Record<string, number>;
}

export interface ModelQuality {
  examples: number;
  converted: number;
  /** Area under the ROC curve on the fifth of leads held out from training (0.5 = chance). */
  auc: number | null;
  heldOut: number;
}

export async function readSettings(db: Queryable): Promise<PredictiveSettings> {
  return { ...DEFAULT_SETTINGS, ...(await settingsRow<PredictiveSettings>(db)) };
}

export async function writeSettings(db: Queryable, settings: PredictiveSettings): Promise<void> {
  await storeSettings(db, settings);
  cached = undefined;
}

export async function latestModel(db: Queryable): Promise<{ id: number; trainedAt: Date; model: TrainedModel; quality: ModelQuality } | undefined> {
  const row = await newestModelRow<TrainedModel, ModelQuality>(db);
  return row ? { id: Number(row.id), trainedAt: row.trained_at, model: row.model, quality: row.quality } : undefined;
}

interface Example {
  id: string;
  converted: boolean;
  inputs: number[];
}

/**
 * Leads' raw inputs (log counts per feature event, log score) as of their reference
 * time: their conversion, or now. `contactId` narrows it to one contact.
 */
async function examples(db: Queryable, s: Pick<PredictiveSettings, 'features' | 'conversionEvent' | 'window'>, contactId?: string): Promise<Example[]> {
  const rows = await leadCounts(db, s.features, s.conversionEvent, durationMs(s.window) / 1000, contactId);
  return rows.map((r) => ({ id: r.id, converted: r.converted, inputs: [...r.counts.map((c) => Math.log1p(Number(c))), Math.log1p(Math.max(0, r.score))] }));
}

/** Bias first, then each input in standard deviations from the training mean, kept within ±10 (no wild extrapolation). */
function standardise(inputs: number[], means: number[], stds: number[]): number[] {
  return [1, ...inputs.map((v, i) => Math.max(-10, Math.min(10, (v - means[i]!) / stds[i]!)))];
}

/** P(converted) from a trained regression: its first one-vs-all classifier is class 1 against the rest. */
function probabilities(regression: LogisticRegression, rows: number[][]): number[] {
  return regression.classifiers[0]!.testScores(new Matrix(rows));
}

/** Area under the ROC curve: the chance a converted lead scores above an unconverted one. */
export function auc(scores: number[], labels: boolean[]): number | null {
  const pos = scores.filter((_, i) => labels[i]);
  const neg = scores.filter((_, i) => !labels[i]);
  if (!pos.length || !neg.length) return null;
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

export class NotEnoughData extends Error {}

/** Trains and stores a model from the leads there are now; throws NotEnoughData when they do not suffice. */
export async function train(db: Db, s: PredictiveSettings): Promise<{ model: TrainedModel; quality: ModelQuality }> {
  const all = await examples(db, s);
  const converted = all.filter((e) => e.converted).length;
  if (all.length < s.minExamples || converted === 0 || converted === all.length) {
    throw new NotEnoughData(`training needs at least ${s.minExamples} leads, some converted and some not (there are ${all.length}, ${converted} converted)`);
  }
  // A fifth of the converted leads and a fifth of the others (fixed by id) are held out
  // to measure the model honestly; taken from each class, so the measure always sees
  // both (a fifth of all leads by hash alone was sometimes one class only: no AUC).
  const hash = (e: Example) => crypto.createHash('sha256').update(e.id).digest('hex');
  const heldOutIds = new Set([true, false].flatMap((c) => all.filter((e) => e.converted === c).sort((a, b) => hash(a).localeCompare(hash(b))).filter((_, i) => i % 5 === 0).map((e) => e.id)));
  const learn = all.filter((e) => !heldOutIds.has(e.id));
  const test = all.filter((e) => heldOutIds.has(e.id));
  const width = all[0]!.inputs.length;
  const means = Array.from({ length: width }, (_, i) => learn.reduce((t, e) => t + e.inputs[i]!, 0) / learn.length);
  // A feature every lead has alike (float noise aside) carries no information: dividing by
  // its near-zero spread would blow up any lead that differs from it.
  const stds = Array.from({ length: width }, (_, i) => {
    const sd = Math.sqrt(learn.reduce((t, e) => t + (e.inputs[i]! - means[i]!) ** 2, 0) / learn.length);
    return sd > 1e-9 ? sd : 1;
  });
  const regression = new LogisticRegression({ numSteps: 1500, learningRate: 1 / learn.length });
  regression.train(new Matrix(learn.map((e) => standardise(e.inputs, means, stds))), Matrix.columnVector(learn.map((e) => (e.converted ? 1 : 0))));
  const evaluated = test.length >= 4 ? test : learn;
  const scores = probabilities(regression, evaluated.map((e) => standardise(e.inputs, means, stds)));
  const raw = (regression.toJSON() as { classifiers: { weights: { data?: number[][] } | number[][] }[] }).classifiers[0]!.weights;
  const weightRow = (Array.isArray(raw) ? raw[0] : (raw as { data: number[][] }).data?.[0]) ?? [];
  const names = ['bias', ...s.features, 'score'];
  const model: TrainedModel = {
    features: s.features, conversionEvent: s.conversionEvent, window: s.window, field: s.field, means, stds,
    regression: regression.toJSON(),
    weights: Object.fromEntries(names.map((n, i) => [n, Number((weightRow[i] ?? 0).toFixed(4))])),
  };
  const quality: ModelQuality = { examples: all.length, converted, auc: auc(scores, evaluated.map((e) => e.converted)), heldOut: test.length };
  await storeModel(db, model, quality);
  cached = undefined; // this process scores with the new model at once; others within two seconds
  return { model, quality };
}

/** Stores each unconverted lead's readiness when it changed; returns how many changed. */
async function store(db: Db, model: TrainedModel, leads: Example[]): Promise<number> {
  const open = leads.filter((e) => !e.converted);
  if (!open.length) return 0;
  const regression = LogisticRegression.load(model.regression);
  const scores = probabilities(regression, open.map((e) => standardise(e.inputs, model.means, model.stds)));
  let changed = 0;
  for (const [i, lead] of open.entries()) {
    const readiness = Math.round(scores[i]! * 100);
    changed += await transaction(db, async (tx) => {
      const current = await attributeOf(tx, lead.id, model.field);
      if (current === readiness) return 0;
      await updateContactFields(tx, lead.id, { attributes: { [model.field]: readiness } }, { by: 'predictive score' });
      return 1;
    });
  }
  return changed;
}

/** Scores every lead with the newest model (after a retraining). */
export async function rescoreAll(db: Db): Promise<number> {
  const latest = await latestModel(db);
  return latest ? store(db, latest.model, await examples(db, latest.model)) : 0;
}

let cached: { at: number; value: Promise<{ settings: PredictiveSettings; model?: TrainedModel }> } | undefined;

/** In the dispatch step: a lead's feature event refreshes their readiness. */
export async function predictiveOnEvent(db: Db, contactId: string, eventType: string): Promise<void> {
  if (!cached || Date.now() - cached.at > 2000) {
    const value = (async () => ({ settings: await readSettings(db), model: (await latestModel(db))?.model }))();
    cached = { at: Date.now(), value };
    value.catch(() => (cached = undefined));
  }
  const { settings, model } = await cached.value;
  if (!settings.enabled || !model || !model.features.includes(eventType)) return;
  await store(db, model, await examples(db, model, contactId));
}

let training = false;

/** In the dispatcher's tick: retrain when the newest model is older than `retrainEvery`. One process at a time. */
export async function retrainIfDue(db: Db, onError: (err: unknown) => void): Promise<void> {
  if (training) return;
  const settings = await readSettings(db);
  if (!settings.enabled) return;
  const latest = await latestModel(db);
  if (latest && addDuration(latest.trainedAt, settings.retrainEvery) > new Date()) return;
  training = true;
  void (async () => {
    let client: PoolClient | undefined;
    let lost: Error | undefined;
    const onLost = (err: Error) => { lost = err; };
    try {
      client = await db.connect();
      // Held across the training, idle in between: a lost connection must not be an uncaught 'error'.
      client.on('error', onLost);
      const locked = await tryLockTraining(client);
      if (!locked) return;
      try {
        const again = await latestModel(client);
        if (again && addDuration(again.trainedAt, settings.retrainEvery) > new Date()) return;
        await train(db, settings);
        await rescoreAll(db);
      } finally {
        await unlockTraining(client);
      }
    } catch (err) {
      if (!(err instanceof NotEnoughData)) onError(err);
    } finally {
      client?.removeListener('error', onLost);
      client?.release(lost);
      training = false;
    }
  })();
}
