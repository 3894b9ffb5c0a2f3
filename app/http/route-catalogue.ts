import type { FastifyInstance } from 'fastify';
import type { DocumentedOperation } from '../../contracts/openapi.ts';
import type { ResponseDocumentation, RouteDocumentation } from '../../contracts/http-route.ts';
import { problemAnswer } from '../../contracts/http-route.ts';
import { z } from 'zod';
import { needsBearerToken } from './auth-hook.ts';

export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly documentation: RouteDocumentation | undefined;
}

/**
 * What the edge answers on a route besides its handler's answers: the bearer check (401, and 503 when the key
 * set cannot be fetched), 503 while the database is away, and the body parser (400 for a body that does not
 * parse, 413, 415).
 */
/** The methods whose requests fastify reads a body of, declared or not (DELETE when it comes with a content type). */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function edgeAnswers(method: string, url: string, bodyLimitBytes: number): Record<number, ResponseDocumentation> {
  const answers: Record<number, ResponseDocumentation> = {};
  if (BODY_METHODS.has(method)) {
    answers[400] = problemAnswer('The body does not parse (malformed JSON)');
    answers[413] = problemAnswer(`The body is over ${bodyLimitBytes / 1024} KiB`);
    answers[415] = problemAnswer('The body is not of the declared content type');
  }
  if (needsBearerToken(url)) {
    answers[401] = problemAnswer('Missing, malformed or expired token', { 'www-authenticate': { description: 'Bearer, with the reason', schema: z.string() } });
    answers[503] = problemAnswer('The database is unavailable, or token verification is (the key set cannot be fetched); retry after Retry-After', { 'retry-after': { description: 'Seconds to wait before retrying', schema: z.string() } });
  }
  return answers;
}

function mergeAnswer(own: ResponseDocumentation | undefined, edge: ResponseDocumentation): ResponseDocumentation {
  if (!own) return edge;
  return { ...own, description: `${own.description}; or: ${edge.description}`, headers: { ...edge.headers, ...own.headers } };
}

/** The route as the document shows it: its own answers and the edge's. */
export function documentedOperation(route: RegisteredRoute & { documentation: RouteDocumentation }, bodyLimitBytes: number): DocumentedOperation {
  const { documentation, url, method } = route;
  const responses: Record<number, ResponseDocumentation> = { ...documentation.responses };
  for (const [status, answer] of Object.entries(edgeAnswers(method, url, bodyLimitBytes))) responses[Number(status)] = mergeAnswer(responses[Number(status)], answer);
  return {
    method,
    url,
    secured: needsBearerToken(url) || documentation.security === 'bearer',
    documentation: { ...documentation, responses },
  };
}

/** fastify answers HEAD for every GET by itself; the document names the GET. */
const isDerived = (route: RegisteredRoute) => route.method === 'HEAD';

/**
 * Collects every route registered after it, through fastify's onRoute hook: the document is made from
 * this list, so a route cannot be registered without the document knowing it.
 */
export function routeCatalogue(app: FastifyInstance, edge: { bodyLimitBytes: number }): {
  readonly routes: () => readonly RegisteredRoute[];
  readonly operations: () => DocumentedOperation[];
} {
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method, url: route.url, documentation: route.config?.openapi });
  });
  return {
    routes: () => routes,
    operations: () => routes.flatMap((route) => (route.documentation && !isDerived(route) ? [documentedOperation({ ...route, documentation: route.documentation }, edge.bodyLimitBytes)] : [])),
  };
}
