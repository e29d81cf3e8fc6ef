// The PostgreSQL pool and the one transaction helper everything else uses.
import pg from 'pg';

export type Db = pg.Pool;
export type Queryable = pg.Pool | pg.PoolClient;

// bigint counts arrive as strings by default; Tend's counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Statements Tend sends again and again are prepared once per connection. pg sends an
 * unnamed statement otherwise, which PostgreSQL parses, analyses and plans on every
 * call: for a contact's run that was about a third of PostgreSQL's CPU (the plan alone
 * 1.1 ms of its 4.5, pg_stat_statements with track_planning). A text is named when it
 * comes a second time with parameters; statements built from user conditions vary, so
 * the names are capped (each is a prepared statement in every backend).
 */
const MAX_NAMED = 400;
const MAX_COUNTED = 5000;
const named = new Map<string, string>();
let seen = new Map<string, number>();

function nameOf(text: string): string | undefined {
  const name = named.get(text);
  if (name || named.size >= MAX_NAMED) return name;
  const times = (seen.get(text) ?? 0) + 1;
  if (times < 2) {
    if (seen.size >= MAX_COUNTED) seen = new Map();
    seen.set(text, times);
    return undefined;
  }
  seen.delete(text);
  const fresh = `tend_${named.size + 1}`;
  named.set(text, fresh);
  return fresh;
}

class PreparingClient extends pg.Client {
  // pg's overloads do not survive a subclass; the arguments are passed on as they came.
  override query(...args: unknown[]): never {
    const [config, values] = args;
    const name = typeof config === 'string' && Array.isArray(values) ? nameOf(config) : undefined;
    const call = super.query as unknown as (...a: unknown[]) => never;
    return name ? call.call(this, { name, text: config, values }, ...args.slice(2)) : call.apply(this, args);
  }
}

export function createDb(url: string, max = 10, opts: { prepare?: boolean } = {}): Db {
  // Idle connections are kept a minute, not pg's 10 s: under bursty load PostgreSQL
  // would otherwise fork a backend again for nearly every burst.
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 60_000, ...(opts.prepare === false ? {} : { Client: PreparingClient }) });
  pool.on('error', () => undefined); // an idle client's error is reported again on its next use
  return pool;
}

export async function transaction<T>(db: Db, fn: (tx: pg.PoolClient) => Promise<T>, opts: { deadlockRetries?: number } = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await transactionOnce(db, fn);
    } catch (err) {
      // PostgreSQL chose this transaction as a deadlock's victim and rolled it back whole:
      // running it again is safe for callers whose work is all in the database.
      if ((err as { code?: string }).code !== '40P01' || attempt >= (opts.deadlockRetries ?? 0)) throw err;
    }
  }
}

async function transactionOnce<T>(db: Db, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
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

/** The database is unreachable or restarting: not the statement's fault, and worth trying again. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03'].includes(String(e?.code ?? ''))) return true;
  // Over a Unix socket, a server that is down has no socket file to connect to.
  if (e?.code === 'ENOENT' && (err as { syscall?: unknown }).syscall === 'connect') return true;
  return /^Connection terminated|not queryable|timeout exceeded when trying to connect/.test(String(e?.message ?? ''));
}

/**
 * Records something already done in the world (a message the SMTP server accepted, a
 * webhook that answered), trying again while the database is away rather than failing
 * the activity: a retried activity would find no record and do it a second time.
 * Gives up after `withinMs`.
 */
export async function recordDone<T>(fn: () => Promise<T>, withinMs = 60_000): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
    try {
      return await fn();
    } catch (err) {
      if (!isConnectionError(err) || Date.now() + delay > deadline) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
