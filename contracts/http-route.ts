import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ok, type Result } from '../domain/common/result.ts';
import type { FieldError } from '../domain/task/types.ts';
import { invalidRequest, sendProblem } from './problem-reply.ts';
import { PROBLEM_CONTENT_TYPE, Problem } from './problem.ts';
import { parseInput } from './validation.ts';

/*
 * A route declares its inputs and answers once. `defineRoute` registers it with fastify, parses each part
 * against its schema before the handler runs, and leaves the declaration on the route's config, where the
 * OpenAPI document is built from (app/http): what is validated is what is documented.
 */

export interface HeaderDocumentation {
  readonly description: string;
  readonly schema: z.ZodType;
}

/**
 * An OpenAPI link: where a client can go next with a value of this answer. Clients and fuzzers (stateful
 * tests) follow it, e.g. from the created task's id to its reads and commands.
 */
export interface LinkDocumentation {
  readonly operationId: string;
  readonly description: string;
  /** The target's parameter → a runtime expression over this answer, e.g. `$response.body#/task_id`. */
  readonly parameters: Readonly<Record<string, string>>;
}

export interface ResponseDocumentation {
  readonly description: string;
  /** The body; absent for an answer without one (204, 304, the 101 of a WebSocket upgrade). */
  readonly schema?: z.ZodType;
  /** `application/json` unless said otherwise. */
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, HeaderDocumentation>>;
  /** Named links to the operations this answer leads to. */
  readonly links?: Readonly<Record<string, LinkDocumentation>>;
}

export interface RouteDocumentation {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  /** `bearer` when the route checks a token itself (the live feed); /api routes get theirs checked at the edge. */
  readonly security?: 'bearer';
  readonly params?: z.ZodType | undefined;
  readonly query?: z.ZodType | undefined;
  /** Request headers, named in lower case as node hands them over. */
  readonly headers?: z.ZodType | undefined;
  readonly body?: z.ZodType | undefined;
  /** `application/json` unless said otherwise. */
  readonly bodyContentType?: string;
  /**
   * The route's own answers. What the HTTP edge adds to every route (a 400 for unparsable input, 401 and
   * 503 of the bearer check, 413 and 415 of a body) is added to the document by the edge that answers them.
   */
  readonly responses: Readonly<Record<number, ResponseDocumentation>>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's declaration: every documented route carries one. */
    readonly openapi?: RouteDocumentation;
  }
}

/** A problem+json answer with what it means on this route. */
export const problemAnswer = (description: string, headers?: Readonly<Record<string, HeaderDocumentation>>): ResponseDocumentation => ({
  description, schema: Problem, contentType: PROBLEM_CONTENT_TYPE, ...(headers ? { headers } : {}),
});

const invalidInputAnswer = problemAnswer('Invalid parameters, headers or body; `errors` lists each one with its path');

type Part = z.ZodType | undefined;
type Parsed<S extends Part> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<P extends Part, Q extends Part, H extends Part, B extends Part> {
  readonly params: Parsed<P>;
  readonly query: Parsed<Q>;
  readonly headers: Parsed<H>;
  readonly body: Parsed<B>;
}

export interface RouteDeclaration<P extends Part, Q extends Part, H extends Part, B extends Part>
  extends Omit<RouteDocumentation, 'params' | 'query' | 'headers' | 'body'> {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** fastify's form: `/api/tasks/:id`. */
  readonly url: string;
  readonly params?: P;
  readonly query?: Q;
  readonly headers?: H;
  readonly body?: B;
  readonly handler: (input: RouteInput<P, Q, H, B>, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

function parsePart<S extends Part>(schema: S | undefined, input: unknown, prefix: string): Result<Parsed<S>, FieldError[]>;
function parsePart(schema: Part, input: unknown, prefix: string): Result<unknown, FieldError[]> {
  return schema === undefined ? ok(undefined) : parseInput(schema, input, prefix);
}

/**
 * Registers a declared route. Its parts are parsed in the order headers, params, query, body; the first
 * part that fails answers 400 problem+json, each error named by where it was (`headers.if-match`,
 * `params.id`, `query.cursor`, `body.title`).
 */
export function defineRoute<P extends Part = undefined, Q extends Part = undefined, H extends Part = undefined, B extends Part = undefined>(
  app: FastifyInstance,
  declaration: RouteDeclaration<P, Q, H, B>,
): void {
  const { method, url, handler, ...declared } = declaration;
  const parsesInput = [declared.params, declared.query, declared.headers, declared.body].some((part) => part !== undefined);
  const documentation: RouteDocumentation = parsesInput
    ? { ...declared, responses: { 400: invalidInputAnswer, ...declared.responses } }
    : declared;
  app.route({
    method,
    url,
    config: { openapi: documentation },
    handler: async (request, reply) => {
      const headers = parsePart(declaration.headers, request.headers, 'headers');
      if (!headers.ok) return sendProblem(reply, invalidRequest(headers.error));
      const params = parsePart(declaration.params, request.params, 'params');
      if (!params.ok) return sendProblem(reply, invalidRequest(params.error));
      const query = parsePart(declaration.query, request.query, 'query');
      if (!query.ok) return sendProblem(reply, invalidRequest(query.error));
      // An absent body and a JSON `null` are both a missing body.
      const body = parsePart(declaration.body, request.body ?? undefined, 'body');
      if (!body.ok) return sendProblem(reply, invalidRequest(body.error));
      return handler({ params: params.value, query: query.value, headers: headers.value, body: body.value }, request, reply);
    },
  });
}
