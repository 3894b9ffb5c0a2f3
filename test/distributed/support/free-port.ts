import { createServer } from 'node:net';

/** Ports handed out by this process: the OS may offer a port again once its probe closed. */
const given = new Set<number>();

function probe(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = address && typeof address === 'object' ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A TCP port free on loopback right now (the OS picks it), never one this process handed out before: a
 * cluster asks for twenty ports before any is listened on, and two of its members must not get the same.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await probe();
    if (!given.has(port)) {
      given.add(port);
      return port;
    }
  }
}
