import { connect } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.ts';

let t: TestSystem;
beforeAll(async () => { t = await startTestSystem(); });

interface RawAnswer { readonly status: number; readonly headers: Record<string, string>; readonly body: string }

/** Sends bytes as they are (fetch refuses TRACE and cannot send a method Node does not know). */
function rawRequest(text: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(t.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
  });
}

describe('the HTTP edge', () => {
  it('answers a request whose headers are over 16 KiB with a problem+json 431', async () => {
    const answer = await rawRequest(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 431, type: 'urn:todo:problem:headers_too_large' });
  });

  it('answers another method on a known path with a problem+json 405 naming the allowed methods', async () => {
    const answer = await t.call('DELETE', '/api/tasks');
    expect(answer.status).toBe(405);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(answer.body).toMatchObject({ status: 405, type: 'urn:todo:problem:method_not_allowed' });
  });

  it('answers TRACE with 405, as any method the server does not answer', async () => {
    const token = await t.token('alice');
    const answer = await rawRequest(`TRACE /api/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`);
    expect(answer.status).toBe(405);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(answer.headers['allow']).toBe('GET, HEAD, POST');
  });

  it('answers a method HTTP parsing does not know with a problem+json 405', async () => {
    const answer = await rawRequest('FROBNICATE /health HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(answer.status).toBe(405);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.headers['allow']).toBe('GET, HEAD');
  });

  it('answers QUERY (a method fastify reads a body of) without a body with 405, not a complaint about its content type', async () => {
    const answer = await rawRequest('QUERY /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer.status).toBe(405);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(answer.headers['allow']).toBe('GET, HEAD');
    expect((await rawRequest('QUERY /nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).status).toBe(404);
  });

  it('answers PATCH on /api/tasks/count with 405, though the path has the shape of /api/tasks/{id}', async () => {
    const answer = await t.call('PATCH', '/api/tasks/count', { body: { title: 'x' } });
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('GET, HEAD');
    expect((await t.call('OPTIONS', '/api/tasks/count')).headers.get('allow')).toBe('GET, HEAD');
    expect((await t.call('PATCH', '/api/tasks/00000000-0000-4000-8000-000000000000', { body: { title: 'x' } })).status).toBe(404);
  });

  it('still answers a path no route has with 404', async () => {
    expect((await t.call('DELETE', '/api/nothing-here')).status).toBe(404);
  });
});
