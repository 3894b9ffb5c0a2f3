import type { FastifyInstance } from 'fastify';
import { TaskIdParams } from '../../contracts/commands.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { invalidRequest, sendProblem } from '../../contracts/problem-reply.ts';
import { problem } from '../../contracts/problem.ts';
import { rowToTask } from '../../contracts/read-models/task-view-row.ts';
import { OccurrencesQuery, type TaskOccurrences } from '../../contracts/recurrence.ts';
import { parseInput } from '../../contracts/validation.ts';
import { upcomingOccurrences } from '../../domain/recurrence/next-occurrence.ts';
import { dueInstant } from '../../domain/task/due-instant.ts';
import type { ProjectionWaiter } from '../consistency/wait-for-projection.ts';
import { findTask } from '../tasks/list-tasks.sql.ts';
import { readYourWrites } from '../tasks/task-query.routes.ts';

export interface OccurrenceRoutesDeps {
  readonly db: Queryable;
  readonly waiter: ProjectionWaiter;
  readonly clock: () => Date;
}

/**
 * `GET /api/tasks/{id}/occurrences?count=N`: the dues the next N tasks of a recurring task's series would
 * get, computed by the same domain function the recurring projector creates them with.
 */
export function registerOccurrenceRoutes(app: FastifyInstance, deps: OccurrenceRoutesDeps): void {
  app.get('/api/tasks/:id/occurrences', async (request, reply) => {
    const params = parseInput(TaskIdParams, request.params, 'params');
    if (!params.ok) return sendProblem(reply, invalidRequest(params.error));
    const query = parseInput(OccurrencesQuery, request.query, 'query');
    if (!query.ok) return sendProblem(reply, invalidRequest(query.error));
    if (!(await readYourWrites(request, reply, query.value.min_position, deps.waiter))) return reply;

    const row = await findTask(deps.db, request.principal.user_id, params.value.id);
    if (!row) return sendProblem(reply, problem('not_found', 404, 'No such task', { detail: `task ${params.value.id} does not exist` }));
    const task = rowToTask(row);
    if (task.recurrence === null) return { task_id: task.id, series_id: null, occurrences: [] } satisfies TaskOccurrences;
    // A completed task's next task was made from its completion; an open one's would be made now.
    const completedAt = task.completed_at ?? deps.clock().toISOString();
    const body: TaskOccurrences = {
      task_id: task.id,
      series_id: task.series_id ?? task.id,
      occurrences: upcomingOccurrences(task, completedAt, query.value.count)
        .map(({ occurrence, due }) => ({ occurrence, due, due_at: dueInstant(due) })),
    };
    return body;
  });
}
