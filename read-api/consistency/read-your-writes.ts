import type { FastifyReply } from 'fastify';
import { problemAnswer } from '../../contracts/http-route.ts';
import { sendProblem } from '../../contracts/problem-reply.ts';
import { problem } from '../../contracts/problem.ts';
import { z } from 'zod';
import type { ProjectionWaiter } from './wait-for-projection.ts';

/** The answer of a query whose read model did not reach the asked position in time. */
export const notCaughtUpAnswer = problemAnswer('min_position (or X-Min-Position) not reached within the bound; retry after Retry-After', {
  'retry-after': { description: 'Seconds to wait before retrying', schema: z.string() },
});

/**
 * `?min_position` or `X-Min-Position` for a query over one projection (the query parameter wins): waits
 * until it has the position. False when the reply has been sent already (the bound ran out: 503 with
 * Retry-After).
 */
export async function awaitPosition(
  reply: FastifyReply,
  asked: { readonly query: number | undefined; readonly header: number | undefined },
  target: { readonly waiter: ProjectionWaiter; readonly projection: string; readonly readModel: string },
): Promise<boolean> {
  const position = asked.query ?? asked.header;
  if (position === undefined || (await target.waiter.waitFor(target.projection, position))) return true;
  reply.header('retry-after', '1');
  void sendProblem(reply, problem('not_ready', 503, 'The read model has not caught up yet', {
    detail: `position ${position} is not in the ${target.readModel} yet; retry shortly`,
  }));
  return false;
}
