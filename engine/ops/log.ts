// Tend's one logger: JSON lines (time, level, msg, then fields) written to a sink, so
// the server, the dispatcher and the worker log in the same shape and tests can read
// the lines. Built on pino; fields whose names say they hold a secret are redacted,
// always, at any depth (pino's own `redact` takes fixed paths, not a rule on names).
//
//   const log = createLog({ level: 'info' }).child({ component: 'dispatch' });
//   log.warn('dispatch failed', { err });   // {"level":"warn","time":"…","component":"dispatch","err":{…},"msg":"dispatch failed"}
import { pino, type Logger } from 'pino';
import { isUuid } from './uuid.js';

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

const levels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
const secretName = /authorization|password|passwd|secret|token|api_?key|cookie/i;
const maxDepth = 6;

/** Reads TEND_LOG (debug, info — the default —, warn, error, silent). */
export function logLevelOf(value: string | undefined): LogLevel {
  const v = (value ?? '').toLowerCase();
  return (levels as readonly string[]).includes(v) ? (v as LogLevel) : 'info';
}

// Errors become {name, message}: a stack says where the code is, and lines can end up
// in front of people who should not learn that. Below maxDepth nothing is written, so
// a secret nested deeper than the rule looks cannot slip through (and cycles end).
function clean(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (typeof value === 'bigint') return String(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= maxDepth) return '[too deep]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => clean(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = secretName.test(k) ? '[redacted]' : clean(v, depth + 1);
  return out;
}

function wrap(logger: Logger): Log {
  const write = (level: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: Record<string, unknown>) => {
    try {
      logger[level](fields ?? {}, msg);
    } catch {
      // A log line must never take the request or the activity down with it.
    }
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    // pino's bindings formatter sees only the root's base fields, not a child's: clean here.
    child: (fields) => wrap(logger.child(clean(fields) as Record<string, unknown>)),
  };
}

export function createLog(opts: LogOptions = {}, bound: Record<string, unknown> = {}): Log {
  const { sink } = opts;
  // A custom destination is written to synchronously, so a test reading its sink right
  // after a call sees the line; standard output is written synchronously too, so lines
  // are whole and in order with anything else the process prints.
  const destination = sink ? { write: (line: string) => sink(line.endsWith('\n') ? line.slice(0, -1) : line) } : pino.destination({ dest: 1, sync: true });
  const logger = pino(
    {
      level: opts.level ?? 'info',
      base: undefined, // no pid and hostname: the collector knows where a line came from
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => clean(fields) as Record<string, unknown>,
      },
      // clean() already made errors {name, message}; pino's err serializer runs after it
      // and would take that for an error again (adding type and stack keys): keep it as is.
      serializers: { err: (v: unknown) => v },
    },
    destination,
  );
  const log = wrap(logger);
  return Object.keys(bound).length ? log.child(bound) : log;
}

/** Shortens a token-like path segment (unsubscribe links, tracking pixels) to its first characters. */
export function redactPath(path: string): string {
  return path
    .split('/')
    .map((seg) => (seg.length >= 24 && /^[A-Za-z0-9_.~%-]+$/.test(seg) && !isUuid(seg) ? `${seg.slice(0, 6)}…` : seg))
    .join('/');
}
