import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, problem, type Problem } from '../../contracts/problem.ts';

/** What Node's parser found wrong, as the problem answered before any route or hook ran. */
export function clientErrorProblem(code: string | undefined, allow: (path: string) => string[], requestLine: string): { problem: Problem; allow?: string[] } {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { problem: problem('headers_too_large', 431, 'Request headers too large', { detail: 'the request\'s headers are over the server\'s 16 KiB limit' }) };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { problem: problem('request_timeout', 408, 'Request timeout', { detail: 'the request did not arrive in time' }) };
  }
  if (code === 'HPE_INVALID_METHOD') {
    const path = (requestLine.split(' ')[1] ?? '').split('?')[0] ?? '';
    return {
      problem: problem('method_not_allowed', 405, 'Method not allowed', { detail: 'the request method is not one this server answers' }),
      allow: allow(path),
    };
  }
  return { problem: problem('validation', 400, 'Malformed request', { detail: 'the request could not be parsed as HTTP' }) };
}

interface ClientError extends Error {
  readonly code?: string;
  /** What the parser had read (a Buffer at run time). */
  readonly rawPacket?: unknown;
}

/**
 * fastify's clientErrorHandler, answering problem+json like every other error: the parser rejected the
 * request (headers over the limit, a method it does not know, garbage) before fastify saw it.
 */
export function clientErrorHandler(allow: (path: string) => string[]): (error: ClientError, socket: Socket) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const requestLine = Buffer.isBuffer(error.rawPacket) ? error.rawPacket.toString('latin1').split('\r\n')[0] ?? '' : '';
    const answer = clientErrorProblem(error.code, allow, requestLine);
    const body = JSON.stringify(answer.problem);
    const status = answer.problem.status;
    if (socket.writable) {
      const allowHeader = answer.allow ? `Allow: ${answer.allow.join(', ')}\r\n` : '';
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n${allowHeader}`
        + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    }
    socket.destroy(error);
  };
}
