import type { FastifyReply } from 'fastify';
import type { FieldError } from '../domain/task/types.ts';
import { PROBLEM_CONTENT_TYPE, problem, type Problem } from './problem.ts';

/** Every HTTP edge answers errors the same way: application/problem+json with the problem's status. */
export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

export const invalidRequest = (errors: FieldError[]): Problem =>
  problem('validation', 400, 'The request is not valid', { detail: errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors });
