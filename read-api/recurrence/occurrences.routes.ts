import type { FastifyInstance } from 'fastify';
import { TaskIdParams } from '../../contracts/commands.ts';
import { ReadYourWritesHeaders } from '../../contracts/http-headers.ts';
import { defineRoute, problemAnswer } from '../../contracts/http-route.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { rowToTask } from '../../contracts/read-models/task-view-row.ts';
import { OccurrencesQuery, TaskOccurrences } from '../../contracts/recurrence.ts';
import { upcomingOccurrences } from '../../domain/recurrence/next-occurrence.ts';
import { dueInstant } from '../../domain/task/due-instant.ts';
import { invalidRequest, sendProblem } from '../../contracts/problem-reply.ts';
import { notCaughtUpAnswer } from '../consistency/read-your-writes.ts';
import type { ProjectionWaiter } from '../consistency/wait-for-projection.ts';
import { readOwnTask } from '../tasks/task-query.routes.ts';
import { editedSchedule } from './edited-schedule.ts';

export interface OccurrenceRoutesDeps {
  readonly db: Queryable;
  readonly waiter: ProjectionWaiter;
  readonly clock: () => Date;
}

/**
 * `GET /api/tasks/{id}/occurrences?count=N`: the dues the next N tasks of a recurring task's series would
 * get, computed by the same domain function the recurring projector creates them with. Given `rrule`
 * (and the due beside it), it previews that unsaved schedule of the task instead.
 */
export function registerOccurrenceRoutes(app: FastifyInstance, deps: OccurrenceRoutesDeps): void {
  defineRoute(app, {
    method: 'GET', url: '/api/tasks/:id/occurrences', operationId: 'getTaskOccurrences', tags: ['recurrence'],
    summary: 'Preview the dues of a recurring task\'s next occurrences',
    params: TaskIdParams, query: OccurrencesQuery, headers: ReadYourWritesHeaders,
    responses: {
      200: { description: 'The next dues; `occurrences` is empty for a task that does not recur or whose series has ended', schema: TaskOccurrences },
      404: problemAnswer('No such task (or another user\'s, or deleted)'),
      503: notCaughtUpAnswer,
    },
    handler: async ({ params, query, headers }, request, reply) => {
      const edited = editedSchedule(query);
      if (!edited.ok) return sendProblem(reply, invalidRequest(edited.error));
      const row = await readOwnTask(deps, reply, request.principal.user_id, params.id, { query: query.min_position, header: headers['x-min-position'] });
      if (!row) return reply;
      const saved = rowToTask(row);
      const task = edited.value === null ? saved : { ...saved, ...edited.value };
      if (task.recurrence === null) return { task_id: task.id, series_id: null, occurrences: [] } satisfies TaskOccurrences;
      // A completed task's next task was made from its completion; an open one's would be made now.
      const completedAt = task.completed_at ?? deps.clock().toISOString();
      const body: TaskOccurrences = {
        task_id: task.id,
        series_id: task.series_id ?? task.id,
        occurrences: upcomingOccurrences(task, completedAt, query.count)
          .map(({ occurrence, due }) => ({ occurrence, due, due_at: dueInstant(due) })),
      };
      return body;
    },
  });
}
