import type { FastifyInstance } from 'fastify';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { problem } from '../../contracts/problem.ts';
import type { Metrics } from '../metrics.ts';
import { sendProblem } from '../../contracts/problem-reply.ts';

/** Liveness, readiness (the database answers) and Prometheus metrics, plus the HTTP metrics hook. */
export function registerObservability(app: FastifyInstance, deps: { metrics: Metrics; db: Queryable }): void {
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
      return { status: 'ready' };
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
