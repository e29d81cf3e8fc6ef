// Starts the services every integration test shares: one real PostgreSQL cluster
// (each test file makes its own database in it) and one Temporal dev server (each
// file uses its own task queue).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../engine/stack/postgres.js';
import { startTemporalDevServer } from '../../engine/stack/temporal.js';
import { ensureTemporalCli } from '../../engine/stack/temporal-cli.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
    temporalAddress: string;
    temporalCli: string;
    temporalDbFile: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-test-'));
  fs.chmodSync(dir, 0o755); // as root, PostgreSQL runs as its own user and must reach the folder
  const cli = await ensureTemporalCli(process.env.TEMPORAL_CLI_PATH);
  const [pg, temporal] = await Promise.all([
    startEmbeddedPostgres(path.join(dir, 'postgres')),
    startTemporalDevServer({ cli, dbFile: path.join(dir, 'temporal.db'), uiPort: false }),
  ]);
  project.provide('pgUrl', pg.url);
  project.provide('temporalAddress', temporal.address);
  project.provide('temporalCli', cli);
  project.provide('temporalDbFile', path.join(dir, 'temporal.db'));
  return async () => {
    await Promise.all([temporal.stop(), pg.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
