import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import type { Logger } from 'pino';
import { z } from 'zod';
import { defineRoute } from '../../contracts/http-route.ts';
import { buildOpenApiDocument } from '../../contracts/openapi.ts';
import { problem } from '../../contracts/problem.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import type { TokenVerifier } from '../../gateways/auth/verify-token.ts';
import type { Metrics } from '../metrics.ts';
import { OPENAPI_PATH, requireBearerToken } from './auth-hook.ts';
import { requestTracing } from './request-trace.ts';
import { registerObservability } from './observability.routes.ts';
import { invalidRequest, sendProblem } from '../../contracts/problem-reply.ts';
import type { Readiness } from '../readiness.ts';
import { routeCatalogue, type RegisteredRoute } from './route-catalogue.ts';
import { clientErrorHandler } from './client-errors.ts';
import { allowedMethods } from './method-not-allowed.ts';
import { registerErrorAnswers } from './error-answers.ts';

export const BODY_LIMIT_BYTES = 64 * 1024;
/**
 * The router's bound on one path parameter. Its default (100) is below what routes document (a device
 * token is up to 4096 characters) and failed as a 500; at the size of Node's header limit, where the whole
 * request line must fit, the routes' own schemas decide.
 */
const MAX_PARAM_LENGTH = 16 * 1024;

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export interface HttpServerDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly verifier: TokenVerifier;
  readonly db: Queryable;
  /** What `/ready` waits for besides the database (see readiness.ts). */
  readonly readiness?: Readiness;
  readonly routes: ReadonlyArray<(app: FastifyInstance) => void>;
  /** fastify's trustProxy (TRUST_PROXY): whose X-Forwarded-For gives the client's address. */
  readonly trustProxy?: boolean | string;
}

export interface HttpServer {
  readonly app: FastifyInstance;
  /** Every route registered, documented or not, in registration order. */
  readonly routes: () => readonly RegisteredRoute[];
}

/**
 * The HTTP edge shared by every service: ids, auth, problem+json, metrics, docs. Routes come from outside;
 * the OpenAPI document is made from the declarations of the routes registered here.
 */
export async function buildHttpServer(deps: HttpServerDeps): Promise<FastifyInstance> {
  return (await buildCataloguedHttpServer(deps)).app;
}

export async function buildCataloguedHttpServer(deps: HttpServerDeps): Promise<HttpServer> {
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const tracing = requestTracing();
  // The catalogue is made just after the instance; the client error handler only runs once it listens.
  let allowAt = (_path: string): string[] => [];
  const app = Fastify({
    loggerInstance,
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // A caller's X-Request-Id is kept so one id follows the request through proxies and logs.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    childLoggerFactory: tracing.childLoggerFactory,
    return503OnClosing: true,
    trustProxy: deps.trustProxy ?? false,
    forceCloseConnections: 'idle',
    // A path whose percent-escapes spell no UTF-8 (a lone surrogate, a cut-off sequence) is the client's error.
    frameworkErrors: (error, request, reply) => {
      if (error.code === 'FST_ERR_BAD_URL') {
        void sendProblem(reply, invalidRequest([{ path: 'url', message: 'must percent-encode well-formed UTF-8' }]));
        return;
      }
      if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
        void sendProblem(reply, invalidRequest([{ path: 'url', message: `a path segment is over ${MAX_PARAM_LENGTH} characters` }]));
        return;
      }
      request.log.error({ err: error }, 'request failed');
      void sendProblem(reply, problem('internal', 500, 'Internal error', { detail: `request ${request.id} failed; see the server log` }));
    },
    clientErrorHandler: clientErrorHandler((path) => allowAt(path)),
  });
  // First, so that it sees every route after it.
  const catalogue = routeCatalogue(app, { bodyLimitBytes: BODY_LIMIT_BYTES });
  allowAt = (path) => allowedMethods(catalogue.routes(), path);

  // The hooks every request passes are callback-style where they need not wait: no promise and no extra
  // microtask turn per hook and request (ADR 0038).
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  tracing.register(app);

  // A path that is a route of its own (`/api/tasks/count`) is not a value of a neighbour's parameter
  // (`PATCH /api/tasks/:id` with id "count"): another method on it is a 405, as on any route.
  app.addHook('onRequest', (request, reply, done) => {
    const path = request.routeOptions.url?.includes(':') ? request.url.split('?')[0] ?? '' : null;
    if (path === null || !catalogue.routes().some((route) => route.url === path)) {
      done();
      return;
    }
    const allow = allowAt(path).join(', ');
    // Answered here: fastify goes on to no handler when a callback hook sends without calling done.
    sendProblem(reply.header('allow', allow),
      problem('method_not_allowed', 405, 'Method not allowed', { detail: `${path} answers ${allow}, not ${request.method}` }));
  });

  // No route has this method at this path: 405 with the methods that path answers, or 404 when none.
  const noRoute = (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '';
    const allow = allowAt(path);
    if (allow.length === 0) return sendProblem(reply, problem('not_found', 404, 'Not found', { detail: `${request.method} ${path} is not a route` }));
    return sendProblem(reply.header('allow', allow.join(', ')),
      problem('method_not_allowed', 405, 'Method not allowed', { detail: `${path} answers ${allow.join(', ')}, not ${request.method}` }));
  };

  registerErrorAnswers(app, BODY_LIMIT_BYTES, noRoute);

  app.setNotFoundHandler(noRoute);

  requireBearerToken(app, deps.verifier);
  registerObservability(app, { metrics: deps.metrics, db: deps.db, ...(deps.readiness ? { readiness: deps.readiness } : {}) });

  // Made on first use, when every route is registered (fastify allows no route after it started).
  let document: Record<string, unknown> | undefined;
  const openapi = () => (document ??= buildOpenApiDocument(catalogue.operations()));
  defineRoute(app, {
    method: 'GET', url: OPENAPI_PATH, operationId: 'openapi', tags: ['service'],
    summary: 'This document: generated from the routes the server registered',
    responses: { 200: { description: 'The OpenAPI 3.1 document', schema: z.record(z.string(), z.unknown()) } },
    handler: async () => openapi(),
  });
  // @fastify/swagger only hands the document to the Swagger UI at /docs; its own route walk is replaced.
  await app.register(swagger, { openapi: {}, transformObject: () => openapi() });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  // No limit of its own on any route (global: false): the routes that count attempts ask it (the accounts').
  await app.register(rateLimit, { global: false });
  await app.register(websocket, {
    options: {
      maxPayload: BODY_LIMIT_BYTES,
      // A browser passes its token as the subprotocol pair `bearer, <jwt>`; the answer must name `bearer`.
      handleProtocols: (protocols) => (protocols.has('bearer') ? 'bearer' : false),
    },
  });
  for (const register of deps.routes) register(app);
  return { app, routes: catalogue.routes };
}
