// The composition root: the services (database, plugins, log), a server (the
// dispatcher and the HTTP app) and a worker (its activities' mailer, SMS, outbound
// HTTP, renderer), built the one way from a config. `tend server`/`tend worker`/
// `tend start` (server/runtime.ts) and the test harness (test/support/tend.ts) build
// theirs here, so what runs in tests is what runs in production (dispatch errors
// logged included).
import { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
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
import { createWorker } from '../engine/temporal/worker.js';
import { runStarter } from '../engine/temporal/client.js';
import { createOutbound } from '../engine/delivery/outbound.js';
import { createSmsProvider } from '../engine/delivery/sms.js';
import { createRenderer } from '../engine/delivery/templates.js';
import { unsubscribeToken } from '../engine/delivery/signing.js';

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
  const db = createDb(databaseUrl, 20, { prepare: config.preparedStatements });
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

export interface WorkerParts {
  worker: Awaited<ReturnType<typeof createWorker>>;
  /** Sends the worker's email; close it when the worker stops. */
  mailer: Mailer;
}

/** A worker polling Tend's task queue on `connection`, with everything its activities use. */
export async function composeWorker(config: TendConfig, s: Services, connection: NativeConnection): Promise<WorkerParts> {
  const mailer = createMailer(config.smtpUrl, config.dataDir);
  const publicUrl = publicUrlOf(config);
  const outbound = createOutbound({ allow: config.httpAllow });
  // The first-steps workflow's activity hands runs that wait to workflows of their own.
  const client = new Client({ connection, namespace: config.temporalNamespace });
  const worker = await createWorker({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.temporalTaskQueue,
    deps: {
      db: s.db,
      registry: s.registry,
      mailer,
      mailFrom: config.mailFrom,
      sms: createSmsProvider(config.sms, outbound),
      outbound,
      tracking: { baseUrl: publicUrl, secret: s.secret },
      render: createRenderer(config.templatesDir),
      unsubscribeUrl: (contactId) => `${publicUrl}/unsubscribe/${unsubscribeToken(s.secret, contactId)}`,
      secrets: config.secrets,
      log: config.logNodes ? (line) => console.log(line) : undefined,
      logger: s.log.child({ component: 'worker' }),
      metrics: s.metrics,
      startRun: runStarter(client, config.temporalTaskQueue),
    },
  });
  return { worker, mailer };
}

/** The address links in messages point at (TEND_PUBLIC_URL, else this server). */
export function publicUrlOf(config: TendConfig): string {
  return (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/$/, '');
}
