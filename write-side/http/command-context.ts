import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { IdempotencyKeyHeader, IfMatchHeader } from '../../contracts/commands.ts';
import { parseInput } from '../../contracts/validation.ts';
import type { Result } from '../../domain/shared/result.ts';
import { ok } from '../../domain/shared/result.ts';
import type { FieldError } from '../../domain/task/types.ts';
import type { CommandContext } from '../commands/command-handler.ts';
import { formatTraceparent } from '../../contracts/trace-context.ts';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** What the request says about the command besides its body: preconditions, idempotency, tracing. */
export function commandContext(request: FastifyRequest): Result<CommandContext, FieldError[]> {
  const ifMatch = header(request, 'if-match');
  const key = header(request, 'idempotency-key');
  const expected = ifMatch === undefined ? ok(undefined) : parseInput(IfMatchHeader, ifMatch, 'headers.if-match');
  if (!expected.ok) return expected;
  const idempotencyKey = key === undefined ? ok(undefined) : parseInput(IdempotencyKeyHeader, key, 'headers.idempotency-key');
  if (!idempotencyKey.ok) return idempotencyKey;
  return ok({
    request_id: request.id,
    correlation_id: header(request, 'x-correlation-id') ?? request.id,
    causation_id: null,
    // The server's span of the request (the HTTP edge continued or started the trace): its events' parent.
    traceparent: request.trace ? formatTraceparent(request.trace) : null,
    user_email: request.principal.email,
    ...(idempotencyKey.value === undefined
      ? {}
      : { idempotency: { key: idempotencyKey.value, request_hash: requestHash(request) } }),
    ...(expected.value === undefined ? {} : { expected_version: expected.value }),
  });
}

/** A key answers only the request it was first used with: same method, path and body. */
function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url.split('?')[0] ?? ''}\n${JSON.stringify(request.body ?? null)}`)
    .digest('base64url');
}
