// One fact about one contact's events, measured in SQL: what if/else nodes and goals
// ask before they evaluate a condition that holds facts.
import type { Queryable } from '../../storage/db.js';
import type { Fact } from '../../plugin/conditions.js';
import { factValueSql, Params } from './sql.js';

export async function measureFact(db: Queryable, contactId: string, fact: Fact, now = new Date()): Promise<number> {
  const params = new Params();
  const id = params.add(contactId);
  const value = factValueSql(fact, params, now);
  const { rows } = await db.query<{ v: string | null }>(`SELECT ${value} AS v FROM contacts c WHERE c.id = ${id}`, params.values);
  return Number(rows[0]?.v ?? 0);
}
