import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem } from '../../contracts/problem.ts';
import { sendProblem } from '../../contracts/problem-reply.ts';
import { isTransient } from '../../projections/runtime/transient-error.ts';

/** Seconds a client is asked to wait before retrying while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 1;

function statusOf(error: FastifyError): number {
  const status = error.statusCode ?? 500;
  return status >= 400 && status < 600 ? status : 500;
}

/**
 * What a thrown error answers: the database being away (refused, shut down, connection lost, out of
 * connections) is the service's state, not a defect — 503 with Retry-After, so a client retries and a
 * load balancer's error budget sees an outage, not a bug; any other server-side error is a 500 to be
 * fixed; and a client error keeps its status.
 */
export function registerErrorAnswers(
  app: FastifyInstance,
  bodyLimitBytes: number,
  noRoute: (request: FastifyRequest, reply: FastifyReply) => unknown,
): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // fastify parses the body of a request no route answers too (a QUERY without a content type fails
    // there): that the route is missing is the answer, not what the body lacked.
    if (request.is404) return noRoute(request, reply);
    const status = statusOf(error);
    if (status >= 500 && isTransient(error)) {
      request.log.warn({ err: error }, 'database unavailable; answered 503');
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return sendProblem(reply, problem('unavailable', 503, 'The database is unavailable', { detail: 'try again after Retry-After seconds' }));
    }
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return sendProblem(reply, problem('internal', 500, 'Internal error', { detail: `request ${request.id} failed; see the server log` }));
    }
    const code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'validation';
    const title = status === 413 ? `Request body over ${bodyLimitBytes} bytes` : status === 415 ? 'Unsupported media type' : 'Malformed request';
    return sendProblem(reply, problem(code, status, title, { detail: error.message }));
  });
}
