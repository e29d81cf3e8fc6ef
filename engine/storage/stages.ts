// Contacts counted by lifecycle stage (the value of one attribute).
import type { Queryable } from './db.js';

/** One pass over the contacts not merged away: how many hold each value of `attribute` (null: none). */
export async function countByAttribute(db: Queryable, attribute: string): Promise<{ stage: string | null; n: number }[]> {
  const { rows } = await db.query<{ stage: string | null; n: number }>(
    `SELECT attributes->>'${attribute}' AS stage, count(*)::int AS n FROM contacts WHERE merged_into IS NULL GROUP BY 1`,
  );
  return rows;
}
