// One connection that LISTENs for new outbox rows. When the database goes away (a
// restart, a failover) the connection is dropped without ending the process, and the
// next tick listens again; the tick's sweep dispatches whatever came meanwhile.
import type pg from 'pg';
import type { Db } from './db.js';

export function createOutboxListener(db: Db, onRow: () => void, onError?: (err: unknown) => void) {
  let listener: pg.PoolClient | undefined;
  let relistening: Promise<void> | undefined;

  async function listen(): Promise<void> {
    const client = await db.connect();
    let released = false;
    const onLost = (err: Error) => {
      if (released) return;
      released = true;
      client.removeListener('error', onLost); // the pool's own listener takes over on release
      if (listener === client) listener = undefined;
      client.release(err);
      onError?.(err);
    };
    client.on('error', onLost);
    client.on('notification', () => onRow());
    try {
      await client.query('LISTEN tend_outbox');
    } catch (err) {
      onLost(err as Error);
      throw err;
    }
    listener = client;
  }

  return {
    listen,
    /** Listens again if the connection was lost (called each tick). */
    keep(): void {
      if (!listener && !relistening) relistening = listen().catch((err) => onError?.(err)).finally(() => (relistening = undefined));
    },
    async stop(): Promise<void> {
      await relistening;
      if (!listener) return;
      const client = listener;
      listener = undefined;
      await client.query('UNLISTEN tend_outbox').catch(() => undefined);
      client.removeAllListeners('notification');
      client.removeAllListeners('error'); // the pool adds its own back on release
      // Ctrl-C reaches PostgreSQL too: the lost connection may have released it already.
      try { client.release(); } catch { /* already released */ }
    },
  };
}
