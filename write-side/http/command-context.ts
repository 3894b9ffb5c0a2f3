import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { CommandHeaders } from '../../contracts/http-headers.ts';
import { formatTraceparent } from '../../contracts/trace-context.ts';
import type { CommandContext } from '../commands/command-handler.ts';

/** What the request says about the command besides its body: preconditions, idempotency, tracing. */
export function commandContext(request: FastifyRequest, headers: CommandHeaders): CommandContext {
  const idempotencyKey = headers['idempotency-key'];
  const expectedVersion = headers['if-match'];
  return {
    request_id: request.id,
    correlation_id: headers['x-correlation-id'] ?? request.id,
    causation_id: null,
    // The server's span of the request (the HTTP edge continued or started the trace): its events' parent.
    traceparent: request.trace ? formatTraceparent(request.trace) : null,
    user_email: request.principal.email,
    ...(idempotencyKey === undefined ? {} : { idempotency: { key: idempotencyKey, request_hash: requestHash(request) } }),
    ...(expectedVersion === undefined ? {} : { expected_version: expectedVersion }),
  };
}

/** A key answers only the request it was first used with: same method, path and body. */
function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url.split('?')[0] ?? ''}\n${JSON.stringify(request.body ?? null)}`)
    .digest('base64url');
}
