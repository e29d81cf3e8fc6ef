// A customer's static website for the browser tests of t.js: its pages on a port of
// their own (another origin than Tend's), served as they are; the paths in `empty`
// (the icon, an image) answer 204, anything else unknown 404.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Site {
  url: string;
  close(): Promise<void>;
}

export async function serveSite(pages: Record<string, string>, empty: string[] = ['/favicon.ico']): Promise<Site> {
  const server = http.createServer((req, res) => {
    if (empty.includes(req.url ?? '')) return void res.writeHead(204).end();
    const body = pages[(req.url ?? '').split('?')[0]!];
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/html' }).end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
