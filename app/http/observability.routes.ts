import type { FastifyInstance } from 'fastify';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { problem, PROBLEM_CONTENT_TYPE } from '../../contracts/problem.ts';
import type { Metrics } from '../metrics.ts';
import { sendProblem } from '../../contracts/problem-reply.ts';
import { describeWaiting, type Readiness } from '../readiness.ts';

/**
 * Liveness, readiness (the database answers; with `readiness`, also no start-up rebuild running and the
 * projections caught up, with each projection's lag in the body) and Prometheus metrics, plus the HTTP
 * metrics hook.
 */
export function registerObservability(app: FastifyInstance, deps: { metrics: Metrics; db: Queryable; readiness?: Readiness }): void {
  const { metrics } = deps;
  app.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/ready', async (request, reply) => {
    try {
      await deps.db.query('SELECT 1');
      if (!deps.readiness) return { status: 'ready' };
      const report = await deps.readiness.check();
      if (report.ready) return { status: 'ready', projections: report.projections };
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
  });

  app.get('/metrics', async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
