// GET /t.js: the tracking script sites paste (server/public/t.js), read once. Short
// caching, so a fix reaches every site within minutes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RequestHandler } from 'express';

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'public', 't.js');

export function trackerScript(): RequestHandler {
  const source = fs.readFileSync(file, 'utf8');
  return (_req, res) => {
    res.set({ 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' }).send(source);
  };
}
