import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';

export interface Ingress { readonly url: string; close(): Promise<void> }

/**
 * What the Helm chart's ingress does, on loopback: `/ws` upgrades go to the sync service, everything else
 * to the api (which serves the web app). The browser sees one origin, as it does behind the real ingress.
 */
export async function startIngress(targets: { readonly api: string; readonly sync: string }): Promise<Ingress> {
  const api = new URL(targets.api);
  const sync = new URL(targets.sync);
  const server = createServer((incoming, outgoing) => {
    const forwarded = httpRequest(
      { host: api.hostname, port: api.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.once('error', () => { outgoing.writeHead(502).end(); });
    incoming.pipe(forwarded);
  });
  server.on('upgrade', (incoming: IncomingMessage, socket, head: Buffer) => {
    const target = (incoming.url ?? '').startsWith('/ws') ? sync : api;
    const upstream = connect(Number(target.port), target.hostname, () => {
      const headers = Object.entries(incoming.headers).flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value ?? '']).map((one) => `${name}: ${one}`));
      upstream.write(`${incoming.method ?? 'GET'} ${incoming.url ?? '/'} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const end = () => { upstream.destroy(); socket.destroy(); };
    upstream.once('error', end);
    socket.once('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
