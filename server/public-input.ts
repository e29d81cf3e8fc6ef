// What the public endpoints (tracking, forms) share: CORS open to every site, and small
// JSON bodies whatever their content type (sendBeacon and simple fetches send text/plain).
import express, { type RequestHandler } from 'express';
import { HttpProblem } from './http-problem.js';
import { refuseDeepJson } from './input.js';

/** CORS for the public endpoints: any site may call them; no cookies ride along. */
export const openCors: RequestHandler = (req, res, next) => {
  res.set({ 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': 'content-type', 'access-control-max-age': '86400' });
  if (req.method === 'OPTIONS') return void res.status(204).end();
  next();
};

/** Parses a small JSON body whatever its content type (sendBeacon sends text/plain). */
export function smallJson(limit: string): RequestHandler[] {
  return [
    express.text({ type: () => true, limit }),
    (req, _res, next) => {
      if (typeof req.body !== 'string' || req.is('application/x-www-form-urlencoded')) return next();
      try {
        refuseDeepJson()(req, undefined, Buffer.from(req.body));
        req.body = req.body ? JSON.parse(req.body) : undefined;
      } catch (err) {
        return next(err instanceof HttpProblem ? err : new HttpProblem(400, 'Malformed JSON', [{ path: '/', message: 'the body is not valid JSON' }]));
      }
      next();
    },
  ];
}
