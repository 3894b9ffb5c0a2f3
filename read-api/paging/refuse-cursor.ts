import type { FastifyReply } from 'fastify';
import { invalidRequest, sendProblem } from '../../contracts/problem-reply.ts';

/**
 * The answer to a cursor the endpoint cannot continue from (forged, another endpoint's, another sort's): a
 * 400 on `query.cursor` that tells the client to start again. `which` says what kind of cursor it is not.
 */
export function refuseCursor(reply: FastifyReply, which: string): FastifyReply {
  return sendProblem(reply, invalidRequest([{ path: 'query.cursor', message: `not a cursor ${which}; start again without it` }]));
}
