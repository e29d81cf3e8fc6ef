// Applied effects (`applied_effects`: an effect's idempotency key, and what it gave) and
// the named counters nodes draw from (`sequences`).
import type { Queryable } from './db.js';

/** Takes the effect's key; false when an earlier attempt took it (the effect is not applied again). */
export async function claimEffectKey(tx: Queryable, key: string): Promise<boolean> {
  const fresh = await tx.query('INSERT INTO applied_effects (key) VALUES ($1) ON CONFLICT DO NOTHING RETURNING key', [key]);
  return fresh.rowCount !== 0;
}

/** What the effect under `key` gave, when it was applied before. */
export async function appliedResult(tx: Queryable, key: string): Promise<{ result: number } | undefined> {
  const done = await tx.query<{ result: number }>('SELECT result FROM applied_effects WHERE key = $1', [key]);
  return done.rows[0];
}

export async function recordAppliedResult(tx: Queryable, key: string, result: unknown): Promise<void> {
  await tx.query('INSERT INTO applied_effects (key, result) VALUES ($1, $2)', [key, JSON.stringify(result)]);
}

/** The sequence's next value (1 for a new one). */
export async function nextSequenceValue(tx: Queryable, name: string): Promise<number> {
  const { rows } = await tx.query<{ value: string }>(
    'INSERT INTO sequences (name, value) VALUES ($1, 1) ON CONFLICT (name) DO UPDATE SET value = sequences.value + 1 RETURNING value',
    [name],
  );
  return Number(rows[0]!.value);
}
