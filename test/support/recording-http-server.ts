import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export interface Reply { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> }

export interface RecordingServer {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Answers the next requests with these replies, in order; after them, with the default reply. */
  reply(...replies: Reply[]): void;
  close(): Promise<void>;
}

/** A local HTTP server on 127.0.0.1 that records every request and answers as told: the outermost fake. */
export async function startRecordingServer(defaultReply: Reply): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const queued: Reply[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try { body = text ? JSON.parse(text) : null; } catch { /* keep the text */ }
      requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body });
      const reply = queued.shift() ?? defaultReply;
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (...replies) => { queued.push(...replies); },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
