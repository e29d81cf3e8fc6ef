// An unexpected failure (here a database error forced by renaming a table) answers a
// bare problem+json 500: no message, no stack, no SQL, no table name; the server stays up.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
beforeAll(async () => {
  tend = await startTend({ worker: false });
});
afterAll(async () => {
  await tend?.stop();
});

const LEAKS = [/relation/i, /select|insert|update/i, /topics|site_keys/, /\bat \S+ \(/, /\.ts\b|\.js\b/, /node_modules/, /error:/i, /pg|postgres/i];

async function expectBare500(res: Response) {
  expect(res.status).toBe(500);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const text = await res.text();
  expect(JSON.parse(text)).toEqual({ type: 'about:blank', title: 'Internal error', status: 500, errors: [] });
  for (const leak of LEAKS) expect(text).not.toMatch(leak);
}

test('a database error on the API and on a public endpoint leaks nothing', async () => {
  await tend.sql('ALTER TABLE topics RENAME TO topics_gone');
  await tend.sql('ALTER TABLE site_keys RENAME TO site_keys_gone');
  try {
    await expectBare500(await fetch(`${tend.url}/api/topics`, { headers: { authorization: `Bearer ${tend.apiKey}` } }));
    await expectBare500(await fetch(`${tend.url}/t/collect`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ key: `pk_${'a'.repeat(32)}`, anonymousId: 'visitor-500', events: [{ type: 'signed_up' }] }),
    }));
  } finally {
    await tend.sql('ALTER TABLE topics_gone RENAME TO topics');
    await tend.sql('ALTER TABLE site_keys_gone RENAME TO site_keys');
  }
  expect((await fetch(`${tend.url}/api/topics`, { headers: { authorization: `Bearer ${tend.apiKey}` } })).status).toBe(200);
  expect((await fetch(`${tend.url}/healthz`)).status).toBe(200);
});
