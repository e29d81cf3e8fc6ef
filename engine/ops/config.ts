// Every setting Tend reads from the environment, in one place, with its default.
// The README's configuration table is written from this file.
import path from 'node:path';
import { readSmsConfig, type SmsConfig } from '../delivery/sms.js';
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
}

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
    plugins: (env.TEND_PLUGINS ?? '').split(/[,:]/).map((s) => s.trim()).filter(Boolean),
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
    secrets: Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('TEND_SECRET_')).map(([k, v]) => [k.slice('TEND_SECRET_'.length), v ?? ''])),
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
