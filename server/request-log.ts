// One JSON line per HTTP request, under a request id: the caller's `X-Request-Id` when
// it is sane (short, printable, no spaces), else a new one; echoed in the response.
// The path is logged without its query string and with token-like segments shortened.
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { redactPath, type Log } from '../engine/ops/log.js';
import type { Metrics } from '../engine/ops/metrics.js';

const probes = new Set(['/healthz', '/readyz', '/metrics']);
const saneId = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

declare module 'express-serve-static-core' {
  interface Locals {
    requestId?: string;
    log?: Log;
  }
}

export function requestLog(log: Log, metrics?: Metrics): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const requestId = given && saneId.test(given) ? given : crypto.randomUUID();
    const started = process.hrtime.bigint();
    res.setHeader('X-Request-Id', requestId);
    res.locals.requestId = requestId;
    res.locals.log = log.child({ requestId });
    // 'close' comes after 'finish', or alone when the client went away first.
    res.once('close', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const status = res.statusCode;
      const fields = { requestId, method: req.method, path: redactPath(req.originalUrl.split('?')[0] ?? ''), status, durationMs: Math.round(durationMs * 10) / 10, ...(res.writableFinished ? {} : { aborted: true }) };
      if (status >= 500) log.error('request', fields);
      else if (probes.has(req.path) && status < 400) log.debug('request', fields); // every few seconds, from machines
      else log.info('request', fields);
      metrics?.inc('tend_http_requests_total', 'HTTP requests answered, by method and status class.', { method: req.method, status: `${Math.floor(status / 100)}xx` });
      metrics?.observe('tend_http_request_duration_seconds', 'Time spent answering HTTP requests.', durationMs / 1000);
    });
    next();
  };
}
