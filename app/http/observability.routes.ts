import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { defineRoute, problemAnswer } from '../../contracts/http-route.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { problem } from '../../contracts/problem.ts';
import { sendProblem } from '../../contracts/problem-reply.ts';
import { Liveness, Readiness } from '../../contracts/service-status.ts';
import type { Metrics } from '../metrics.ts';

/** Liveness, readiness (the database answers) and Prometheus metrics, plus the HTTP metrics hook. */
export function registerObservability(app: FastifyInstance, deps: { metrics: Metrics; db: Queryable }): void {
  const { metrics } = deps;
  app.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });

  defineRoute(app, {
    method: 'GET', url: '/health', operationId: 'health', tags: ['service'], summary: 'Liveness: the process answers',
    responses: { 200: { description: 'Alive', schema: Liveness } },
    handler: async () => ({ status: 'ok' }) satisfies Liveness,
  });

  defineRoute(app, {
    method: 'GET', url: '/ready', operationId: 'ready', tags: ['service'], summary: 'Readiness: the database answers',
    responses: {
      200: { description: 'Ready to serve', schema: Readiness },
      503: problemAnswer('The database is not reachable'),
    },
    handler: async (_input, request, reply) => {
      try {
        await deps.db.query('SELECT 1');
        return { status: 'ready' } satisfies Readiness;
      } catch (error) {
        request.log.warn({ err: error }, 'database not reachable');
        return sendProblem(reply, problem('not_ready', 503, 'Not ready', { detail: 'the database is not reachable' }));
      }
    },
  });

  defineRoute(app, {
    method: 'GET', url: '/metrics', operationId: 'metrics', tags: ['service'], summary: 'Prometheus metrics of this process',
    responses: { 200: { description: 'The Prometheus text exposition format', schema: z.string(), contentType: metrics.registry.contentType } },
    handler: async (_input, _request, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  });
}
