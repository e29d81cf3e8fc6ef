// One place that turns errors into application/problem+json responses. Anything that
// is not an HttpProblem or a body-parser 4xx (a database error, a bug) is logged here
// and answered with a bare 500: no message, stack or SQL leaves the server.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpProblem } from './http-problem.js';
import { EngineProblem, type ProblemKind } from '../engine/ops/errors.js';
import { isConnectionError } from '../engine/storage/db.js';

/** The HTTP status of each kind of engine problem: the one place they meet. */
const STATUS_OF: Record<ProblemKind, number> = { 'not-found': 404, conflict: 409, invalid: 422, unavailable: 503 };

export const problemHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  let problem: HttpProblem;
  if (err instanceof HttpProblem) problem = err;
  else if (err instanceof EngineProblem) problem = new HttpProblem(STATUS_OF[err.kind], err.title, err.errors, { cause: err });
  else if (err?.type === 'entity.too.large') problem = new HttpProblem(413, 'Request body too large', [{ path: '/', message: `the body is larger than ${err.limit} bytes` }]);
  else if (err?.type === 'entity.parse.failed') problem = new HttpProblem(400, 'Malformed JSON', [{ path: '/', message: 'the body is not valid JSON' }]);
  else if (err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported') problem = new HttpProblem(415, 'Unsupported encoding', [{ path: '/', message: String(err.message) }]);
  else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) problem = new HttpProblem(err.status, String(err.message ?? 'Bad request'));
  else if (['22021', '22P05', '22P02'].includes(String(err?.code ?? ''))) {
    // Text PostgreSQL cannot take (a bad byte sequence, \u0000 in jsonb, a malformed value): the request's fault.
    problem = new HttpProblem(400, 'Invalid text', [{ path: '/', message: 'the request holds text that cannot be stored' }]);
  } else if (isConnectionError(err)) {
    if (res.locals.log) res.locals.log.error('database unavailable', { err: err.message });
    else console.error(`database unavailable: ${err.message}`);
    res.set('retry-after', '1');
    problem = new HttpProblem(503, 'Service unavailable', [{ path: '/', message: 'the database is unavailable; nothing was stored, try again' }]);
  } else {
    if (res.locals.log) res.locals.log.error('unhandled error', { err, stack: String(err?.stack ?? '') });
    else console.error(err);
    problem = new HttpProblem(500, 'Internal error');
  }
  res.status(problem.status).set(problem.headers).type('application/problem+json')
    .json({ ...problem.extensions, type: 'about:blank', title: problem.title, status: problem.status, errors: problem.errors });
};

/** Wraps an async route so a rejected promise reaches the problem handler. */
export function route(fn: (...args: Parameters<RequestHandler>) => Promise<unknown>): RequestHandler {
  return (req, res, next) => {
    fn(req, res, next).catch(next);
  };
}

export const notFound: RequestHandler = (req, _res, next) => next(new HttpProblem(404, 'Not found', [{ path: req.path, message: 'no such resource' }]));

/**
 * Methods by the documented paths, before any route: a documented path asked with a
 * method it does not have is 405 with Allow (RFC 9110), and OPTIONS answers Allow. A
 * concrete path wins over a templated one, as in OpenAPI: `PUT /api/flows/validate` is
 * 405, not a save of a program with id "validate". Paths the document does not name
 * (the editor's pages) pass; so does OPTIONS on the CORS-open public paths, whose
 * routers answer the browser's preflight.
 */
export function methodGuard(paths: Record<string, Record<string, unknown>>, corsOpen: (path: string) => boolean): RequestHandler {
  const routes = Object.entries(paths).map(([p, ops]) => {
    const methods = new Set(Object.keys(ops).map((m) => m.toUpperCase()));
    if (methods.has('GET')) methods.add('HEAD');
    methods.add('OPTIONS');
    return {
      pattern: new RegExp(`^${p.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}/?$`),
      templated: (p.match(/\{/g) ?? []).length,
      allow: [...methods].join(', '),
      methods,
    };
  }).sort((x, y) => x.templated - y.templated);
  return (req, res, next) => {
    const route = routes.find((r) => r.pattern.test(req.path));
    if (!route) return next();
    if (req.method === 'OPTIONS') {
      if (corsOpen(req.path)) return next();
      return void res.set('allow', route.allow).status(204).end();
    }
    if (route.methods.has(req.method)) return next();
    res.set('allow', route.allow);
    next(new HttpProblem(405, 'Method not allowed', [{ path: req.path, message: `${req.method} is not allowed here; use ${route.allow}` }], { headers: { Allow: route.allow } }));
  };
}
