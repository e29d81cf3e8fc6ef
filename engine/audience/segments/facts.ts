// One fact about one contact's events, measured in SQL: what if/else nodes and goals
// ask before they evaluate a condition that holds facts.
import type { Queryable } from '../../storage/db.js';
import type { Fact } from '../../plugin/conditions.js';
import { measureFactOf } from '../../storage/segment-members.js';

export async function measureFact(db: Queryable, contactId: string, fact: Fact, now = new Date()): Promise<number> {
  return measureFactOf(db, contactId, fact, now);
}
