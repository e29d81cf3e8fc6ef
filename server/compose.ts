// The composition root of a server: the Temporal client's dispatcher and the HTTP app,
// built the one way from a config and the opened services. `tend server`/`tend start`
// (server/runtime.ts) and the test harness (test/support/tend.ts) both build theirs here,
// so what runs in tests is what runs in production (dispatch errors logged included).
import type { Client } from '@temporalio/client';
import type express from 'express';
import type { TendConfig } from '../engine/ops/config.js';
import { createDispatcher } from '../engine/dispatch/dispatcher.js';

type Dispatcher = ReturnType<typeof createDispatcher>;
import { resolveApiKey } from './auth.js';
import { createApp } from './app.js';
import { createMailer, type Mailer } from '../engine/delivery/mailer.js';
import { createSingleSignOn } from '../engine/access/oidc.js';
import { createDb, type Db } from '../engine/storage/db.js';
import { migrate } from '../engine/storage/migrate.js';
import { createRegistry, type Registry } from '../engine/plugin/registry.js';
import { signingSecret } from '../engine/delivery/signing.js';
import { createLog, type Log } from '../engine/ops/log.js';
import { createMetrics, type Metrics } from '../engine/ops/metrics.js';

export interface Services {
  db: Db;
  registry: Registry;
  secret: string;
  /** JSON lines for the server, the dispatcher and the worker of this process. */
  log: Log;
  /** This process's in-process counters (the database's figures are read at scrape time). */
  metrics: Metrics;
}

export async function openServices(config: TendConfig, databaseUrl: string, opts: { logSink?: (line: string) => void } = {}): Promise<Services> {
  const db = createDb(databaseUrl, 20);
  await migrate(db);
  const registry = await createRegistry(config.plugins);
  const log = createLog({ level: config.logLevel, sink: opts.logSink });
  return { db, registry, secret: await signingSecret(db), log, metrics: createMetrics({ processMetrics: true }) };
}

export interface ServerParts {
  app: express.Express;
  apiKey: string;
  /** Sends invitations; close it when the server stops. */
  mailer: Mailer;
  /** Undefined on an API-only replica (TEND_DISPATCH=off). */
  dispatcher?: Dispatcher;
}

export interface ComposeOptions {
  /** Activity heartbeat timeout the dispatcher gives the runs it starts. */
  heartbeatTimeoutMs?: number;
  /** Continue-as-new past this many history events (tests lower it). */
  historyLimit?: number;
}

export async function composeServer(config: TendConfig, s: Services, client: Client, opts: ComposeOptions = {}): Promise<ServerParts> {
  // TEND_DISPATCH=off: an API-only replica; another server's dispatcher picks its events up (LISTEN/NOTIFY).
  const dispatcher = config.dispatch === false ? undefined : createDispatcher({
    db: s.db,
    client,
    registry: s.registry,
    taskQueue: config.temporalTaskQueue,
    activity: opts.heartbeatTimeoutMs ? { heartbeatTimeoutMs: opts.heartbeatTimeoutMs } : undefined,
    historyLimit: opts.historyLimit,
    backlogLimit: config.dispatchBacklog,
    firstSteps: config.firstSteps,
    onError: (err) => s.log.error('dispatch failed', { component: 'dispatch', err }),
    metrics: s.metrics,
  });
  await dispatcher?.start();
  const apiKey = await resolveApiKey(s.db, config.apiKey);
  const mailer = createMailer(config.smtpUrl, config.dataDir);
  const app = createApp({
    mailer, mailFrom: config.mailFrom, templatesDir: config.templatesDir, sso: config.oidc ? createSingleSignOn(s.db, config.oidc) : undefined, publicUrl: () => config.publicUrl ?? `http://localhost:${config.port}`,
    db: s.db, registry: s.registry, apiKey, signingSecret: s.secret, onEventsStored: () => void dispatcher?.kick(),
    rateLimit: config.rateLimit, rateLimitStore: config.rateLimitStore, trustProxy: config.trustProxy, log: s.log, metrics: s.metrics, temporal: client, metricsToken: config.metricsToken,
  });
  return { app, apiKey, dispatcher, mailer };
}
