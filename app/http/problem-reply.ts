import type { FastifyReply } from 'fastify';
import { PROBLEM_CONTENT_TYPE, type Problem } from '../../contracts/problem.ts';

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}
