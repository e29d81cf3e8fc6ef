// Pacing queues (`pacing_queues`: when each queue's next place falls due) and the places
// visits and deferred sends hold in them (`pacing_places`, under an idempotency key).
import type { Queryable } from './db.js';

/** The queue's next place (now, if it has been idle), and the queue moved on by one interval, under the queue row's lock. */
export async function nextPlace(tx: Queryable, queue: string, everyMs: number): Promise<Date> {
  const { rows: [place] } = await tx.query<{ at: Date }>(
    `INSERT INTO pacing_queues (key, next_at) VALUES ($1, now() + make_interval(secs => $2::float8 / 1000))
     ON CONFLICT (key) DO UPDATE SET next_at = greatest(pacing_queues.next_at, now()) + make_interval(secs => $2::float8 / 1000)
     RETURNING next_at - make_interval(secs => $2::float8 / 1000) AS at`,
    [queue, everyMs],
  );
  return place!.at;
}

/** The place kept under `key`, if one is. */
export async function keptPlace(tx: Queryable, key: string): Promise<Date | undefined> {
  const kept = await tx.query<{ at: Date }>('SELECT at FROM pacing_places WHERE idempotency_key = $1', [key]);
  return kept.rows[0]?.at;
}

export async function keepPlace(tx: Queryable, key: string, queue: string, at: Date): Promise<void> {
  await tx.query('INSERT INTO pacing_places (idempotency_key, queue, at) VALUES ($1, $2, $3)', [key, queue, at]);
}

export async function dropPlace(tx: Queryable, key: string): Promise<void> {
  await tx.query('DELETE FROM pacing_places WHERE idempotency_key = $1', [key]);
}
