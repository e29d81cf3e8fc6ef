// Finds the Temporal CLI (which contains the dev server), building it with Go when
// it is nowhere to be found. Order: TEMPORAL_CLI_PATH, PATH, the project's .tools
// folder, the user cache; then `go install` into the user cache.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

export function cacheBinDir(): string {
  return path.join(os.homedir(), '.cache', 'tend', 'bin');
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function findTemporalCli(explicit?: string): string | undefined {
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`TEMPORAL_CLI_PATH points at ${explicit}, which is not an executable file`);
    return explicit;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, 'temporal'))) return path.join(dir, 'temporal');
  }
  for (const candidate of [path.resolve('.tools/bin/temporal'), path.join(cacheBinDir(), 'temporal')]) {
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Builds the CLI with `go install` (several minutes on a cold Go cache). */
export async function buildTemporalCli(log: (m: string) => void = console.error): Promise<string> {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    throw new Error('The Temporal CLI was not found (TEMPORAL_CLI_PATH, PATH, .tools/bin, ~/.cache/tend/bin) and Go is not installed to build it. Install Go, or set TEMPORAL_ADDRESS to use an existing Temporal server.');
  }
  const bin = cacheBinDir();
  fs.mkdirSync(bin, { recursive: true });
  log(`Building the Temporal CLI with ${go.stdout.trim()} (go install ${TEMPORAL_CLI_MODULE}); this takes a few minutes, once.`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('go', ['install', TEMPORAL_CLI_MODULE], {
      env: { ...process.env, CGO_ENABLED: '0', GOBIN: bin },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const started = Date.now();
    const ticker = setInterval(() => log(`  still building the Temporal CLI… ${Math.round((Date.now() - started) / 1000)} s`), 15000);
    child.on('exit', (code) => {
      clearInterval(ticker);
      code === 0 ? resolve() : reject(new Error(`go install ${TEMPORAL_CLI_MODULE} exited with ${code}`));
    });
    child.on('error', reject);
  });
  return path.join(bin, 'temporal');
}

export async function ensureTemporalCli(explicit?: string, log?: (m: string) => void): Promise<string> {
  return findTemporalCli(explicit) ?? (await buildTemporalCli(log));
}
