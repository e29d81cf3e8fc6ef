// Tend's one logger: JSON lines (time, level, msg, then fields) written to a sink, so
// the server, the dispatcher and the worker log in the same shape and tests can read
// the lines. Fields whose names say they hold a secret are redacted, always.
//
//   const log = createLog({ level: 'info' }).child({ component: 'dispatch' });
//   log.warn('dispatch failed', { err });   // {"time":"…","level":"warn","msg":"dispatch failed","component":"dispatch","err":{…}}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Log {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): Log;
}

export interface LogOptions {
  level?: LogLevel;
  /** Where lines go (without the newline); standard output by default. */
  sink?: (line: string) => void;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };
const secretName = /authorization|password|passwd|secret|token|api_?key|cookie/i;

/** Reads TEND_LOG (debug, info — the default —, warn, error, silent). */
export function logLevelOf(value: string | undefined): LogLevel {
  const v = (value ?? '').toLowerCase();
  return v in rank ? (v as LogLevel) : 'info';
}

function clean(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => clean(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = secretName.test(k) ? '[redacted]' : clean(v, depth + 1);
  return out;
}

export function createLog(opts: LogOptions = {}, bound: Record<string, unknown> = {}): Log {
  const min = rank[opts.level ?? 'info'];
  const sink = opts.sink ?? ((line: string) => void process.stdout.write(line + '\n'));
  const write = (level: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: Record<string, unknown>) => {
    if (rank[level] < min) return;
    try {
      const line = { time: new Date().toISOString(), level, msg, ...(clean({ ...bound, ...fields }) as object) };
      sink(JSON.stringify(line, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
    } catch {
      // A log line must never take the request or the activity down with it.
    }
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => createLog(opts, { ...bound, ...fields }),
  };
}

/** Shortens a token-like path segment (unsubscribe links, tracking pixels) to its first characters. */
export function redactPath(path: string): string {
  return path
    .split('/')
    .map((seg) => (seg.length >= 24 && /^[A-Za-z0-9_.~%-]+$/.test(seg) && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(seg) ? `${seg.slice(0, 6)}…` : seg))
    .join('/');
}
