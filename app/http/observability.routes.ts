import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { defineRoute, problemAnswer } from '../../contracts/http-route.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { problem, PROBLEM_CONTENT_TYPE } from '../../contracts/problem.ts';
import { sendProblem } from '../../contracts/problem-reply.ts';
import { Liveness, Readiness } from '../../contracts/service-status.ts';
import type { Metrics } from '../metrics.ts';
import { describeWaiting, type Readiness as ReadinessCheck } from '../readiness.ts';

/**
 * Liveness, readiness (the database answers; with `readiness`, also no start-up rebuild running and the
 * projections caught up, with each projection's lag in the body) and Prometheus metrics, plus the HTTP
 * metrics hook.
 */
export function registerObservability(app: FastifyInstance, deps: { metrics: Metrics; db: Queryable; readiness?: ReadinessCheck }): void {
  const { metrics } = deps;
  app.addHook('onResponse', (request, reply, done) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    done();
  });

  defineRoute(app, {
    method: 'GET', url: '/health', operationId: 'health', tags: ['service'], summary: 'Liveness: the process answers',
    responses: { 200: { description: 'Alive', schema: Liveness } },
    handler: async () => ({ status: 'ok' }) satisfies Liveness,
  });

  defineRoute(app, {
    method: 'GET', url: '/ready', operationId: 'ready', tags: ['service'],
    summary: 'Readiness: the database answers, no projector has stopped at an event, no read model is rebuilding itself, and (at start-up) projections have caught up',
    responses: {
      200: { description: 'Ready to serve, with each projection\'s lag', schema: Readiness },
      503: problemAnswer('Not ready: the database is not reachable, or `waiting_for` lists the stopped projectors, rebuilds and lag it waits for'),
    },
    handler: async (_input, request, reply) => {
      try {
        await deps.db.query('SELECT 1');
        if (!deps.readiness) return { status: 'ready' } satisfies Readiness;
        const report = await deps.readiness.check();
        if (report.ready) return { status: 'ready', projections: [...report.projections] } satisfies Readiness;
        const notReady = {
          ...problem('not_ready', 503, 'Not ready', { detail: describeWaiting(report.waiting_for) }),
          waiting_for: report.waiting_for,
          projections: report.projections,
        };
        return reply.code(503).type(PROBLEM_CONTENT_TYPE).send(notReady);
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
