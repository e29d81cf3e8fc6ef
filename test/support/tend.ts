// A whole Tend for one test file: its own database in the shared PostgreSQL, its own
// task queue on the shared Temporal dev server, a real SMTP server, the HTTP API on
// a free port, and (unless told otherwise) an in-process worker.
import crypto from 'node:crypto';
import { inject } from 'vitest';
import pg from 'pg';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readConfig, type TendConfig } from '../../engine/ops/config.js';
import { openServices, startWorker, type Services } from '../../server/runtime.js';
import { composeServer } from '../../server/compose.js';
import { connectClient } from '../../engine/temporal/client.js';
import { startSmtp, type Mailbox } from './smtp.js';

export interface Tend {
  url: string;
  apiKey: string;
  config: TendConfig;
  databaseUrl: string;
  temporalAddress: string;
  services: Services;
  mailbox: Mailbox;
  api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }>;
  /** Creates and publishes a program; returns its id. */
  publish(doc: unknown): Promise<string>;
  event(e: Record<string, unknown>): Promise<{ id: string; contactId: string; duplicate: boolean }>;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  /** Runs SQL against this Tend's database (to assert on what was stored). */
  sql<T = any>(text: string, params?: unknown[]): Promise<T[]>;
  /** Polls `fn` until it returns a truthy value. */
  until<T>(fn: () => Promise<T | undefined | false | null>, what: string, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export async function createDatabase(baseUrl: string): Promise<string> {
  const name = `tend_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface TendOptions {
  plugins?: string[];
  /** false: no in-process worker (a test starts one itself, e.g. as a child process). */
  worker?: boolean;
  env?: Record<string, string>;
  /** A PostgreSQL cluster of the test's own (its base URL), for tests that restart it. */
  pgUrl?: string;
  /**
   * Another Tend's database (its `databaseUrl`) instead of a new one: a second server
   * on the same data, as behind a load balancer. Its own API key, SMTP and task queue.
   */
  databaseUrl?: string;
  /** A Temporal server of the test's own, for tests that restart it. */
  temporalAddress?: string;
  /** Continue-as-new past this many history events (to test it without thousands of steps). */
  historyLimit?: number;
  /** Receives this Tend's JSON log lines (request lines, worker and dispatcher). */
  logSink?: (line: string) => void;
}

export async function startTend(opts: TendOptions = {}): Promise<Tend> {
  const databaseUrl = opts.databaseUrl ?? await createDatabase(opts.pgUrl ?? inject('pgUrl'));
  const temporalAddress = opts.temporalAddress ?? inject('temporalAddress');
  const mailbox = await startSmtp();
  const taskQueue = `tend-test-${crypto.randomBytes(4).toString('hex')}`;
  const config = readConfig({
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEND_TASK_QUEUE: taskQueue,
    SMTP_URL: mailbox.url,
    TEND_API_KEY: `test_${crypto.randomBytes(8).toString('hex')}`,
    TEND_PLUGINS: (opts.plugins ?? []).join(','),
    // The test receivers (webhooks, CRM, SMS provider) listen on loopback, which the
    // SSRF guard refuses unless allowed: allowed here explicitly (opts.env may unset it).
    TEND_HTTP_ALLOW: '127.0.0.1,::1',
    // Every test client is 127.0.0.1: limits of the public endpoints high enough for
    // fuzzing and bursts; test/integration/rate-limit.test.ts sets its own.
    TEND_RATE_LIMIT_BURST: '1000000',
    TEND_RATE_LIMIT_PER_SECOND: '1000000',
    ...opts.env,
  });
  const services = await openServices(config, databaseUrl, { logSink: opts.logSink ?? (() => undefined) });
  const client = await connectClient(config, temporalAddress);
  const { app, apiKey, dispatcher, mailer: inviteMailer } = await composeServer(config, services, client, { heartbeatTimeoutMs: 5000, historyLimit: opts.historyLimit });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config.publicUrl = url;
  let worker: { stop(): Promise<void> } | undefined;

  const tend: Tend = {
    url, apiKey, config, databaseUrl, temporalAddress, services, mailbox,
    async api(method, path, body) {
      const res = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: any = text;
      try { parsed = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async publish(doc) {
      const created = await tend.api('POST', '/api/flows', doc);
      if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
      const published = await tend.api('POST', `/api/flows/${created.body.id}/publish`);
      if (published.status !== 200) throw new Error(`publish failed: ${JSON.stringify(published.body)}`);
      return created.body.id;
    },
    async event(e) {
      const res = await tend.api('POST', '/api/events', e);
      if (res.status >= 300) throw new Error(`event refused: ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async sql(text, params) {
      return (await services.db.query(text, params)).rows;
    },
    async startWorker() {
      worker = await startWorker(config, services, temporalAddress);
    },
    async stopWorker() {
      await worker?.stop();
      worker = undefined;
    },
    async until(fn, what, timeoutMs = 30000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = await fn();
        if (v) return v;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      await tend.stopWorker();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dispatcher?.stop();
      inviteMailer.close();
      await client.connection.close();
      await services.db.end();
      await mailbox.close();
    },
  };
  if (opts.worker !== false) await tend.startWorker();
  return tend;
}
