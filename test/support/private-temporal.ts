// A Temporal dev server of a test's own, on an on-disk database and a fixed port, for
// tests that stop and restart it under a running Tend (the shared one must stay up).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { startTemporalDevServer, type RunningTemporal } from '../../engine/stack/temporal.js';
import { freePort } from '../../engine/stack/postgres.js';

export interface PrivateTemporal {
  /** The running server's address; the same after a restart. */
  readonly address: string;
  /** Stops the server; its database stays for the restart. */
  stop(): Promise<void>;
  /** Starts it again on the same port and database. */
  restart(): Promise<void>;
  /** Stops it and removes its database. */
  remove(): Promise<void>;
}

export async function startPrivateTemporal(name: string): Promise<PrivateTemporal> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tend-${name}-`));
  const port = await freePort();
  const start = () => startTemporalDevServer({ cli: inject('temporalCli'), dbFile: path.join(dir, 'temporal.db'), port, uiPort: false });
  let running: RunningTemporal | undefined = await start();
  const address = running.address;
  return {
    address,
    async stop() {
      await running?.stop();
      running = undefined;
    },
    async restart() {
      await running?.stop();
      running = await start();
    },
    async remove() {
      await running?.stop();
      running = undefined;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
