// A real HTTP receiver for webhooks: records every request and answers as told.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: unknown;
}

export interface Reply { status: number; body?: unknown }

export interface Receiver {
  url: string;
  requests: Received[];
  /** Decides each response (or, as a promise, holds it: a call in flight); default 200 {"ok":true}. */
  respond: (req: Received, index: number) => Reply | Promise<Reply>;
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const rec: Receiver = {
    url: '',
    requests: [],
    respond: () => ({ status: 200, body: { ok: true } }),
    async waitFor(count, timeoutMs = 30000) {
      const deadline = Date.now() + timeoutMs;
      while (rec.requests.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} request(s), got ${rec.requests.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return rec.requests;
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  const server = http.createServer((req, res) => {
    // A worker killed mid-call resets its connection (the fault tests do that on purpose):
    // the request simply ends; unhandled, the reset would be an uncaught exception.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try { json = body ? JSON.parse(body) : undefined; } catch { json = undefined; }
      const r: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json };
      rec.requests.push(r);
      void Promise.resolve(rec.respond(r, rec.requests.length - 1)).then((out) => {
        if (res.destroyed) return; // the caller is gone (a killed worker)
        res.writeHead(out.status, { 'content-type': 'application/json' });
        res.end(out.body === undefined ? '' : JSON.stringify(out.body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  rec.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return rec;
}
