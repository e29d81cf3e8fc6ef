// Statements Tend sends again and again are prepared once per connection (engine/storage/db.ts):
// what PostgreSQL itself lists in pg_prepared_statements, and that the switch turns it off.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { createDb, type Db } from '../../engine/storage/db.js';
import { createDatabase } from '../support/tend.js';

let url: string;
const pools: Db[] = [];
beforeAll(async () => {
  url = await createDatabase(inject('pgUrl'));
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

/** The statements prepared on one connection of the pool, after `fn` ran on that connection. */
async function preparedAfter(db: Db, fn: (c: import('pg').PoolClient) => Promise<unknown>): Promise<string[]> {
  const client = await db.connect();
  try {
    await fn(client);
    const { rows } = await client.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements ORDER BY prepare_time');
    return rows.map((r) => r.statement);
  } finally {
    client.release();
  }
}

test('a statement with parameters is prepared once it comes a second time, and answers as before', async () => {
  const db = createDb(url, 1);
  pools.push(db);
  const text = "SELECT $1::int + 1 AS n, 'prepared-statements test' AS tag";
  const prepared = await preparedAfter(db, async (c) => {
    expect((await c.query(text, [1])).rows).toEqual([{ n: 2, tag: 'prepared-statements test' }]);
    expect((await c.query(text, [2])).rows).toEqual([{ n: 3, tag: 'prepared-statements test' }]);
    expect((await c.query(text, [41])).rows).toEqual([{ n: 42, tag: 'prepared-statements test' }]);
    await c.query("SELECT 'without parameters'"); // the simple protocol: nothing to prepare
    await c.query("SELECT 'without parameters'");
  });
  expect(prepared).toEqual([text]);
  // A failing statement keeps its name usable: the next call still answers.
  const client = await db.connect();
  try {
    await expect(client.query(text, ['not a number'])).rejects.toThrow(/invalid input syntax for type integer/);
    expect((await client.query(text, [6])).rows[0].n).toBe(7);
  } finally {
    client.release();
  }
});

test('a statement seen only once stays unnamed, and TEND_PG_PREPARE=off prepares nothing', async () => {
  const once = createDb(url, 1);
  const off = createDb(url, 1, { prepare: false });
  pools.push(once, off);
  const text = "SELECT $1::text AS seen_once";
  expect(await preparedAfter(once, (c) => c.query(text, ['a']))).not.toContain(text);
  const repeated = "SELECT $1::text AS never_prepared";
  expect(await preparedAfter(off, async (c) => {
    for (const v of ['a', 'b', 'c']) await c.query(repeated, [v]);
  })).toEqual([]);
});
