import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalidRequest, sendProblem } from '../../contracts/problem-reply.ts';
import { problem } from '../../contracts/problem.ts';
import { MinPosition } from '../../contracts/queries.ts';
import { parseInput } from '../../contracts/validation.ts';
import type { ProjectionWaiter } from './wait-for-projection.ts';

/**
 * `?min_position` or `X-Min-Position` for a query over one projection: waits until it has the position.
 * False when the reply has been sent already (a bad header: 400; the bound ran out: 503 with Retry-After).
 */
export async function awaitPosition(
  request: FastifyRequest,
  reply: FastifyReply,
  fromQuery: number | undefined,
  target: { readonly waiter: ProjectionWaiter; readonly projection: string; readonly readModel: string },
): Promise<boolean> {
  const header = request.headers['x-min-position'];
  let position = fromQuery;
  if (position === undefined && typeof header === 'string') {
    const parsed = parseInput(MinPosition, header, 'headers.x-min-position');
    if (!parsed.ok) { void sendProblem(reply, invalidRequest(parsed.error)); return false; }
    position = parsed.value;
  }
  if (position === undefined || (await target.waiter.waitFor(target.projection, position))) return true;
  reply.header('retry-after', '1');
  void sendProblem(reply, problem('not_ready', 503, 'The read model has not caught up yet', {
    detail: `position ${position} is not in the ${target.readModel} yet; retry shortly`,
  }));
  return false;
}
