// The OpenAPI document is true: schemathesis (a property-based API tester, run from
// its own virtualenv) reads the document Tend serves, generates requests from it —
// valid and invalid, with the stateful links between operations — and checks every
// answer: no 5xx, no status the document does not list, no response that contradicts
// its schema, valid requests accepted and invalid ones refused. Bounded by time.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTend, type Tend } from '../support/tend.js';
import { schemathesisPath } from '../support/schemathesis.js';

let tend: Tend;
beforeAll(async () => {
  tend = await startTend();
});
afterAll(async () => {
  await tend?.stop();
});

test('schemathesis finds nothing the document does not say', async () => {
  const st = schemathesisPath();
  // A program, a contact and an event exist, so ids found through links lead somewhere.
  await tend.publish(JSON.parse(fs.readFileSync(path.join('examples', 'templates', 'welcome-series.json'), 'utf8')));
  await tend.event({ type: 'signed_up', email: 'ada@example.com', properties: { plan: 'pro' } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-st-'));
  const seconds = Number(process.env.TEND_SCHEMATHESIS_SECONDS ?? 150);
  const args = [
    '--config-file', path.resolve('test', 'support', 'schemathesis.toml'),
    'run', `${tend.url}/api/openapi.json`,
    '--checks', 'all',
    '--header', `Authorization: Bearer ${tend.apiKey}`,
    '--max-examples', '8', '--max-time', String(seconds),
    // One worker: Python 3.11's parser is not thread-safe ("AST constructor recursion depth
    // mismatch", gh-106905), which Hypothesis reaches from schemathesis's worker threads.
    '--workers', '1',
    '--phases', 'examples,coverage,fuzzing,stateful',
    // One seed, so a failure in CI is the same failure on a laptop; set another to explore.
    '--seed', process.env.TEND_SCHEMATHESIS_SEED ?? '1',
    '--request-timeout', '20', '--suppress-health-check', 'all', '--no-color',
    '--report', 'junit', '--report-dir', dir,
  ];
  // Asynchronously: the server answering schemathesis runs in this same process.
  const run = await new Promise<{ status: number | null; out: string }>((resolve, reject) => {
    // cwd: its cache folder goes there, not into the clone.
    const child = spawn(st, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
    let text = '';
    child.stdout.on('data', (b: Buffer) => { text += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { text += b.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 240) * 1000);
    child.on('error', reject);
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, out: text }); });
  });
  const out = run.out;
  fs.mkdirSync(path.join('test', 'artifacts'), { recursive: true }); // a fresh clone has none before the first screenshot
  fs.writeFileSync(path.join('test', 'artifacts', 'schemathesis.txt'), out);
  const summary = out.split('\n').filter((l) => /passed|failed|errored|skipped|operations|test cases/i.test(l)).slice(-12).join('\n');
  expect(run.status, `schemathesis failed (whole output in test/artifacts/schemathesis.txt):\n${out.slice(-12_000)}`).toBe(0);
  expect(summary).toMatch(/passed/);
}, 900_000);
