// A Tend worker as a separate OS process (`tend worker`), so a test can kill it the
// way a crash or an OOM kill would: no shutdown hooks, no draining.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tend } from './tend.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything the process printed, for failure messages. */
  output(): string;
  /** Resolves when the worker says it is polling. */
  ready: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnWorker(tend: Tend): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'worker'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: tend.databaseUrl,
      TEMPORAL_ADDRESS: tend.temporalAddress,
      TEND_TASK_QUEUE: tend.config.temporalTaskQueue,
      SMTP_URL: tend.mailbox.url,
      TEND_PUBLIC_URL: tend.url,
      TEND_API_KEY: tend.apiKey,
      TEND_HTTP_ALLOW: tend.config.httpAllow ?? '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Tend worker polling')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal}) before polling:\n${out}`)));
  });
  ready.catch(() => {}); // observed by whoever awaits it
  return {
    child,
    ready,
    output: () => out,
    kill(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    },
  };
}
