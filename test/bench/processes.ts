// Tend as separate OS processes for the benchmarks that look at one process at a time
// (memory and CPU of a worker, several workers side by side): `tend server` and
// `tend worker` spawned the way an operator runs them, and what /proc says about them.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface TendProcess {
  pid: number;
  /** The HTTP port, for a server. */
  port?: number;
  /** CPU seconds (user + system) used so far. */
  cpuSeconds(): number;
  /** Resident memory in bytes. */
  rssBytes(): number;
  stop(): Promise<void>;
}

/** The fields of /proc/<pid>/stat after the command name (which is in parentheses and may hold spaces). */
export function statFields(pid: number): string[] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * CPU seconds of a process and its children: its own, what it has reaped (cutime,
 * cstime: PostgreSQL's backends that ended), and its live children's.
 */
export function treeCpuSeconds(pid: number): number {
  const own = statFields(pid);
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const f = statFields(Number(entry));
      if (Number(f[1]) === pid) ticks += Number(f[11]) + Number(f[12]);
    } catch { /* it ended while we looked */ }
  }
  return ticks / TICKS_PER_SECOND;
}

/** CPU seconds and resident bytes of any process, from /proc. */
export function procStats(pid: number): { cpuSeconds: number; rssBytes: number } {
  const fields = statFields(pid);
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuSeconds: ticks / TICKS_PER_SECOND, rssBytes: rss ? Number(rss[1]) * 1024 : 0 };
}

/**
 * Starts `tend server` or `tend worker` and resolves once it says it is serving.
 * BENCH_NODE_ARGS adds Node flags to them, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
 */
export async function spawnTend(mode: 'server' | 'worker', env: Record<string, string>): Promise<TendProcess> {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/cli.ts', mode], {
    cwd: root,
    env: { ...process.env, TEND_SKIP_EDITOR_BUILD: '1', TEND_LOG: 'warn', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const port = await new Promise<number | undefined>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (mode === 'worker' && out.includes('Tend worker polling')) resolve(undefined);
      const m = /Editor and API\s+http:\/\/localhost:(\d+)\//.exec(out);
      if (mode === 'server' && m) resolve(Number(m[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`tend ${mode} exited (${code ?? signal}) before it was ready:\n${out}`)));
  });
  // Keep reading, or a chatty process blocks on a full pipe.
  child.stdout!.resume();
  child.stderr!.resume();
  const pid = child.pid!;
  return {
    pid,
    port,
    cpuSeconds: () => procStats(pid).cpuSeconds,
    rssBytes: () => procStats(pid).rssBytes,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 20000);
      child.once('exit', () => { clearTimeout(force); resolve(); });
      child.kill('SIGTERM');
    }),
  };
}
