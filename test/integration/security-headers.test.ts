// The headers every answer carries (helmet, server/security-headers.ts), read as a
// browser would get them: the editor's page runs only its own scripts and cannot be
// framed; API answers and Tend's own pages cannot be framed either; a hosted form can
// be (a customer embeds it), and what other sites load (t.js, the open pixel) is
// readable cross-origin.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';

let tend: Tend;
let formId: string;
beforeAll(async () => {
  tend = await startTend({ worker: false });
  formId = (await tend.api('POST', '/api/forms', { name: 'Signup', fields: [{ name: 'email', label: 'Email', type: 'email', required: true }] })).body.id;
});
afterAll(async () => { await tend?.stop(); });

const headersOf = async (path: string, init: RequestInit = {}) => (await fetch(tend.url + path, init)).headers;
/** The policy's directives by name: "script-src 'self'" → { 'script-src': ["'self'"] }. */
const csp = (h: Headers) => Object.fromEntries((h.get('content-security-policy') ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name, values]));

test('the editor runs only its own scripts and cannot be framed', async () => {
  const h = await headersOf('/programs');
  expect(h.get('content-type')).toMatch(/^text\/html/);
  const policy = csp(h);
  expect(policy['script-src']).toEqual(["'self'"]);
  expect(policy['frame-ancestors']).toEqual(["'none'"]);
  expect(policy['object-src']).toEqual(["'none'"]);
  expect(h.get('x-frame-options')).toBe('DENY');
  expect(h.get('x-content-type-options')).toBe('nosniff');
  expect(h.get('referrer-policy')).toBe('no-referrer');
  expect(h.get('strict-transport-security')).toBe('max-age=15552000');
  expect(h.get('x-powered-by')).toBeNull();
});

test('API answers and Tend\'s own pages cannot be framed and run no script; only Tend reads the API\'s answers', async () => {
  for (const path of ['/api/flows', '/healthz', '/preferences/not-a-token']) {
    const h = await headersOf(path, { headers: { authorization: `Bearer ${tend.apiKey}` } });
    expect(h.get('x-frame-options'), path).toBe('DENY');
    expect(csp(h)['frame-ancestors'], path).toEqual(["'none'"]);
    expect(csp(h)['default-src'], path).toEqual(["'none'"]);
    expect(csp(h)['script-src'], path).toBeUndefined();
    expect(h.get('cross-origin-resource-policy'), path).toBe(path.startsWith('/api/') ? 'same-origin' : 'cross-origin');
  }
});

test('a hosted form can be framed by a customer\'s site and redirect to their page', async () => {
  const res = await fetch(`${tend.url}/f/${formId}`);
  expect(res.status).toBe(200);
  const h = res.headers;
  expect(h.get('x-frame-options')).toBeNull();
  expect(csp(h)['frame-ancestors']).toBeUndefined();
  expect(csp(h)['form-action']).toBeUndefined();
  expect(csp(h)['default-src']).toEqual(["'none'"]);
  expect(csp(h)['style-src']).toEqual(["'unsafe-inline'"]);
});

test('what other sites load is readable cross-origin', async () => {
  for (const path of ['/t.js', '/o/not-a-token.gif']) {
    const h = await headersOf(path);
    expect(h.get('cross-origin-resource-policy'), path).toBe('cross-origin');
    expect(h.get('x-content-type-options'), path).toBe('nosniff');
  }
});
