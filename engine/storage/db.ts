// The PostgreSQL pool and the one transaction helper everything else uses.
import pg from 'pg';

export type Db = pg.Pool;
export type Queryable = pg.Pool | pg.PoolClient;

// bigint counts arrive as strings by default; Tend's counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

export function createDb(url: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => undefined); // an idle client's error is reported again on its next use
  return pool;
}

export async function transaction<T>(db: Db, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  // A checked-out client has no error listener of the pool's: a connection lost between
  // two queries (the server restarting) would be an uncaught 'error' event and end the
  // process. Noted here instead, it fails the transaction's next query, and the broken
  // client is destroyed on release rather than returned to the pool.
  let lost: Error | undefined;
  const onError = (err: Error) => { lost = err; };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.removeListener('error', onError);
    client.release(lost);
  }
}
