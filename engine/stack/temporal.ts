// Runs a local Temporal dev server (from the Temporal CLI) with on-disk storage, so
// waits survive a restart of Tend and of the server itself.
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './ports.js';

export interface RunningTemporal {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function waitForPort(port: number, timeoutMs: number, host = '127.0.0.1'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, host);
      sock.once('connect', () => { sock.destroy(); resolve(true); });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`Nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startTemporalDevServer(opts: {
  cli: string;
  /** Where the server keeps its SQLite database; in memory when omitted (benchmarks). */
  dbFile?: string;
  port?: number;
  uiPort?: number | false;
  namespace?: string;
  log?: (line: string) => void;
}): Promise<RunningTemporal> {
  const port = opts.port ?? (await freePort());
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error'];
  // Write-ahead log, synced at checkpoints: a killed process (the server, or everything)
  // loses nothing, as the crash probe checks; only a power cut could lose the last
  // commits. SQLite's default (a rollback journal synced on every commit) costs the dev
  // server a disk flush per workflow step.
  if (opts.dbFile) args.push('--db-filename', opts.dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  // The server hands a just-scheduled activity straight back to the worker that
  // scheduled it, saving a poll round trip per step (off by default in the server).
  args.push('--dynamic-config-value', 'system.enableActivityEagerExecution=true');
  let uiUrl: string | undefined;
  if (opts.uiPort === false) args.push('--headless');
  else {
    const uiPort = opts.uiPort ?? (await freePort());
    args.push('--ui-port', String(uiPort));
    uiUrl = `http://127.0.0.1:${uiPort}`;
  }
  if (opts.namespace && opts.namespace !== 'default') args.push('--namespace', opts.namespace);
  if (opts.dbFile) fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
  const child = spawn(opts.cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => opts.log?.(String(d)));
  child.stderr?.on('data', (d) => opts.log?.(String(d)));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`temporal server start-dev exited with ${code}`))));
  exited.catch(() => undefined);
  await Promise.race([waitForPort(port, 60000), exited]);
  return {
    address: `127.0.0.1:${port}`,
    uiUrl,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
        child.once('exit', () => { clearTimeout(timer); resolve(); });
        child.kill('SIGTERM');
      }),
  };
}
