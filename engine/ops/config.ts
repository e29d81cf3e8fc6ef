// Every setting Tend reads from the environment, in one place, with its default.
// The README's configuration table is written from this file.
import path from 'node:path';
import { logLevelOf, type LogLevel } from './log.js';

/** Where the rate limits' buckets live: TEND_RATE_LIMIT_STORE (server/rate-limit.ts). */
export const RATE_LIMIT_STORES = ['postgres', 'memory'] as const;
export type RateLimitStoreKind = (typeof RATE_LIMIT_STORES)[number];

export interface OidcConfig {
  /** TEND_OIDC_ISSUER: the provider's issuer URL (its discovery document is read from there). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** TEND_OIDC_NAME: how the sign-in button names the provider ("Sign in with …"). */
  name: string;
  /** TEND_OIDC_ROLE_CLAIM (default tend_role): the claim that says a person's role. */
  roleClaim: string;
  /** TEND_OIDC_ROLES: the claim's values to roles, e.g. `marketing=marketer,it=admin`; unmapped, a value that names a role is that role. */
  roles: Record<string, string>;
  /** TEND_OIDC_DEFAULT_ROLE: the role of a person whose claim maps to none; unset, they are refused. */
  defaultRole?: string;
}

export interface TendConfig {
  port: number;
  databaseUrl?: string;
  temporalAddress?: string;
  temporalNamespace: string;
  temporalTaskQueue: string;
  temporalApiKey?: string;
  temporalTls?: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string; enabled: boolean };
  temporalCliPath?: string;
  smtpUrl?: string;
  mailFrom: string;
  apiKey?: string;
  dataDir: string;
  plugins: string[];
  publicUrl?: string;
  sms: SmsConfig;
  /** Per-client-IP limit of the public endpoints (server/rate-limit.ts). */
  rateLimit: { burst: number; perSecond: number };
  /** TEND_RATE_LIMIT_STORE: where the rate limits' buckets live. postgres (the default) is
   * shared by every server behind a load balancer; memory spares a database round trip
   * per public request, but N servers then let a client through N times the limit. */
  rateLimitStore: RateLimitStoreKind;
  /** Express `trust proxy`: which hops' X-Forwarded-For names the client (default loopback). */
  trustProxy: string;
  /** TEND_HTTP_ALLOW: private targets webhooks and providers may call anyway (engine/delivery/outbound.ts). */
  httpAllow?: string;
  /** TEND_SECRET_<NAME> variables, handed to plugins as ctx.secrets.<NAME>. */
  secrets: Record<string, string>;
  /** TEND_LOG: level of Tend's JSON-lines logs. */
  logLevel: LogLevel;
  /** TEND_METRICS_TOKEN: may read /metrics besides the admin API key. */
  metricsToken?: string;
  /** Single sign-on with OpenID Connect (TEND_OIDC_*); none: people sign in with passwords only. */
  oidc?: OidcConfig;
  /** TEND_METRICS_PORT: a worker serves /metrics, /healthz and /readyz on this port. */
  metricsPort?: number;
  /** TEND_DISPATCH=off: this server takes API requests but runs no outbox dispatcher. */
  dispatch: boolean;
  /** TEND_DISPATCH_BACKLOG: workflow tasks waiting for a worker above which dispatch pauses (0: never). */
  dispatchBacklog: number;
  /**
   * TEND_FIRST_STEPS=off: every new run is its own workflow from its first node. On (the
   * default), runs entered together take their first step in one shared workflow and get
   * their own workflow only when they wait (engine/ARCHITECTURE.md, "First steps").
   */
  firstSteps: boolean;
  /** TEND_PG_PREPARE (default on): statements sent again and again are prepared once per connection; `off` behind a pooler that cannot keep them (PgBouncer's transaction mode before 1.21). */
  preparedStatements: boolean;
  /** TEND_TEMPLATES_DIR: partials and layouts (`name.hbs`) for email templates. */
  templatesDir?: string;
  /** TEND_LOG_LEVEL: the Temporal SDK's own log level (default WARN). */
  sdkLogLevel: string;
  /** TEND_LOG_NODES: log every node a worker runs. */
  logNodes: boolean;
  /** TEND_HEARTBEAT_TIMEOUT_MS: how soon a crashed worker's step is retried elsewhere. */
  heartbeatTimeoutMs?: number;
  /** TEND_STACK_FILE: where `tend stack` writes its addresses and process ids as JSON. */
  stackFile?: string;
  /** TEND_SKIP_EDITOR_BUILD: serve editor/dist as it is (a deployment built it already). */
  skipEditorBuild: boolean;
}

/** TEND_TEMPLATES_DIR alone, for code that has no config at hand (a plugin's save-time check of partials). */
export const templatesDirOf = (env: NodeJS.ProcessEnv = process.env): string | undefined => env.TEND_TEMPLATES_DIR || undefined;
/** TEND_LOG_LEVEL alone: the SDK runtime is installed once per process, before any config reaches it. */
export const sdkLogLevelOf = (env: NodeJS.ProcessEnv = process.env): string => (env.TEND_LOG_LEVEL ?? 'WARN').toUpperCase();
/** TEND_SECRET_<NAME> variables, as plugins see them (ctx.secrets.<NAME>). */
export const secretsOf = (env: NodeJS.ProcessEnv = process.env): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('TEND_SECRET_')).map(([k, v]) => [k.slice('TEND_SECRET_'.length), v ?? '']));
/** TEND_URL and TEND_API_KEY: the server the `tend` CLI talks to, and its key. */
export const apiTargetOf = (env: NodeJS.ProcessEnv = process.env): { url?: string; apiKey?: string } => ({ url: env.TEND_URL || undefined, apiKey: env.TEND_API_KEY || undefined });
/** TEND_PLUGINS: plugin folders or packages, separated by commas or colons. */
export const pluginsOf = (env: NodeJS.ProcessEnv = process.env): string[] => (env.TEND_PLUGINS ?? '').split(/[,:]/).map((s) => s.trim()).filter(Boolean);

export function readConfig(env: NodeJS.ProcessEnv = process.env): TendConfig {
  const tlsEnabled = Boolean(env.TEMPORAL_TLS_CERT || env.TEMPORAL_TLS_CA || env.TEMPORAL_API_KEY || env.TEMPORAL_TLS === 'true');
  const dataDir = path.resolve(env.TEND_DATA_DIR || '.data');
  return {
    port: Number(env.PORT ?? 3000),
    databaseUrl: env.DATABASE_URL || undefined,
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    temporalTaskQueue: env.TEND_TASK_QUEUE || 'tend',
    temporalApiKey: env.TEMPORAL_API_KEY || undefined,
    temporalTls: {
      enabled: tlsEnabled,
      certPath: env.TEMPORAL_TLS_CERT || undefined,
      keyPath: env.TEMPORAL_TLS_KEY || undefined,
      caPath: env.TEMPORAL_TLS_CA || undefined,
      serverName: env.TEMPORAL_TLS_SERVER_NAME || undefined,
    },
    temporalCliPath: env.TEMPORAL_CLI_PATH || undefined,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.TEND_MAIL_FROM || 'Tend <tend@localhost>',
    apiKey: env.TEND_API_KEY || undefined,
    dataDir,
    plugins: pluginsOf(env),
    publicUrl: env.TEND_PUBLIC_URL || undefined,
    sms: readSmsConfig(env, dataDir),
    httpAllow: env.TEND_HTTP_ALLOW || undefined,
    rateLimit: { burst: atLeastOne(env, 'TEND_RATE_LIMIT_BURST', 120), perSecond: positive(env, 'TEND_RATE_LIMIT_PER_SECOND', 2) },
    rateLimitStore: oneOf(env, 'TEND_RATE_LIMIT_STORE', RATE_LIMIT_STORES, 'postgres'),
    trustProxy: env.TEND_TRUST_PROXY || 'loopback',
    logLevel: logLevelOf(env.TEND_LOG),
    dispatch: !/^(off|false|0|no)$/i.test(env.TEND_DISPATCH ?? ''),
    dispatchBacklog: wholeNumber(env, 'TEND_DISPATCH_BACKLOG', 500),
    firstSteps: !/^(off|false|0|no)$/i.test(env.TEND_FIRST_STEPS ?? ''),
    preparedStatements: !/^(off|false|0|no)$/i.test(env.TEND_PG_PREPARE ?? ''),
    metricsToken: env.TEND_METRICS_TOKEN || undefined,
    oidc: env.TEND_OIDC_ISSUER ? {
      issuer: env.TEND_OIDC_ISSUER,
      clientId: env.TEND_OIDC_CLIENT_ID ?? '',
      clientSecret: env.TEND_OIDC_CLIENT_SECRET ?? '',
      name: env.TEND_OIDC_NAME || 'single sign-on',
      roleClaim: env.TEND_OIDC_ROLE_CLAIM || 'tend_role',
      roles: Object.fromEntries((env.TEND_OIDC_ROLES ?? '').split(',').map((pair) => pair.split('=').map((x) => x.trim())).filter((p) => p.length === 2 && p[0] && p[1])),
      defaultRole: env.TEND_OIDC_DEFAULT_ROLE || undefined,
    } : undefined,
    metricsPort: env.TEND_METRICS_PORT ? Number(env.TEND_METRICS_PORT) : undefined,
    secrets: secretsOf(env),
    templatesDir: templatesDirOf(env),
    sdkLogLevel: sdkLogLevelOf(env),
    logNodes: Boolean(env.TEND_LOG_NODES),
    stackFile: env.TEND_STACK_FILE || undefined,
    skipEditorBuild: Boolean(env.TEND_SKIP_EDITOR_BUILD),
    heartbeatTimeoutMs: env.TEND_HEARTBEAT_TIMEOUT_MS ? positive(env, 'TEND_HEARTBEAT_TIMEOUT_MS', 20_000) : undefined,
  };
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (!raw) return fallback;
  const n = Number(raw);
  if (!(n > 0)) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return n;
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number (0 or more), not "${raw}"`);
  return n;
}

// A bucket that holds less than one token never lets a request through.
function atLeastOne(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const n = positive(env, name, fallback);
  if (n < 1) throw new Error(`${name} must be at least 1, not "${env[name]}"`);
  return n;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (!raw) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new Error(`${name} must be one of ${allowed.join(', ')}, not "${raw}"`);
  return raw as T;
}

/** TEND_SMS_PROVIDER and the Twilio settings (engine/delivery/sms.ts sends with them). */
export interface SmsConfig {
  provider: 'twilio' | 'file' | 'none';
  twilio?: { accountSid: string; authToken: string; from?: string; messagingServiceSid?: string; apiUrl: string };
  dataDir: string;
}

export function readSmsConfig(env: NodeJS.ProcessEnv, dataDir: string): SmsConfig {
  const provider = (env.TEND_SMS_PROVIDER || (env.TWILIO_ACCOUNT_SID ? 'twilio' : 'file')) as SmsConfig['provider'];
  if (!['twilio', 'file', 'none'].includes(provider)) throw new Error(`TEND_SMS_PROVIDER must be twilio, file or none, not "${provider}"`);
  if (provider !== 'twilio') return { provider, dataDir };
  const accountSid = env.TWILIO_ACCOUNT_SID;
  const authToken = env.TWILIO_AUTH_TOKEN;
  if (!accountSid || !authToken) throw new Error('TEND_SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN');
  if (!env.TWILIO_FROM && !env.TWILIO_MESSAGING_SERVICE_SID) throw new Error('TEND_SMS_PROVIDER=twilio needs TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID');
  return {
    provider,
    dataDir,
    twilio: { accountSid, authToken, from: env.TWILIO_FROM, messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID, apiUrl: (env.TWILIO_API_URL || 'https://api.twilio.com').replace(/\/$/, '') },
  };
}
