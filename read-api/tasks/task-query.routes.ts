import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TaskIdParams } from '../../contracts/commands.ts';
import { DEFAULT_ORDER, GetTaskQuery, ListTasksQuery, type TaskPage } from '../../contracts/queries.ts';
import { invalidRequest, sendProblem } from '../../contracts/problem-reply.ts';
import { problem } from '../../contracts/problem.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { rowToTask } from '../../contracts/read-models/task-view-row.ts';
import { parseInput } from '../../contracts/validation.ts';
import { awaitPosition } from '../consistency/read-your-writes.ts';
import type { ProjectionWaiter } from '../consistency/wait-for-projection.ts';
import { decodeCursor, encodeCursor } from './task-cursor.ts';
import { findTask, listTasks } from './list-tasks.sql.ts';
import { toTaskView } from './task-response.ts';
import { PROJECTIONS } from '../../contracts/projection-names.ts';


export interface TaskQueryDeps {
  readonly db: Queryable;
  readonly waiter: ProjectionWaiter;
  readonly clock: () => Date;
}

/** Read your writes on any query over task_view: wait until it has the position, or answer 400/503. */
export const readYourWrites = (request: FastifyRequest, reply: FastifyReply, fromQuery: number | undefined, waiter: ProjectionWaiter) =>
  awaitPosition(request, reply, fromQuery, { waiter, projection: PROJECTIONS.taskView, readModel: 'task list' });

export function registerTaskQueryRoutes(app: FastifyInstance, deps: TaskQueryDeps): void {
  app.get('/api/tasks', async (request, reply) => {
    const query = parseInput(ListTasksQuery, request.query, 'query');
    if (!query.ok) return sendProblem(reply, invalidRequest(query.error));
    const q = query.value;
    const order = q.order ?? DEFAULT_ORDER[q.sort];
    const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    if (cursor === null || (cursor && (cursor.sort !== q.sort || cursor.order !== order))) {
      return sendProblem(reply, invalidRequest([{ path: 'query.cursor', message: 'not a cursor of this sort and order; start again without it' }]));
    }
    if (!(await readYourWrites(request, reply, q.min_position, deps.waiter))) return reply;

    const rows = await listTasks(deps.db, {
      filter: {
        user_id: request.principal.user_id,
        now: deps.clock().toISOString(),
        ...(q.status ? { status: q.status } : {}),
        ...(q.priority ? { priorities: q.priority } : {}),
        ...(q.tag ? { tags: q.tag } : {}),
        ...(q.due_before ? { due_before: q.due_before } : {}),
        ...(q.due_after ? { due_after: q.due_after } : {}),
        ...(q.overdue === undefined ? {} : { overdue: q.overdue }),
        ...(q.q ? { q: q.q } : {}),
      },
      sort: q.sort,
      order,
      limit: q.limit + 1,
      ...(cursor ? { after: { key: cursor.key, id: cursor.id } } : {}),
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const body: TaskPage = {
      items: page.map((row) => toTaskView(rowToTask(row))),
      next_cursor: rows.length > q.limit && last ? encodeCursor({ sort: q.sort, order, key: last.sort_key, id: last.task_id }) : null,
    };
    return body;
  });

  app.get('/api/tasks/:id', async (request, reply) => {
    const params = parseInput(TaskIdParams, request.params, 'params');
    if (!params.ok) return sendProblem(reply, invalidRequest(params.error));
    const query = parseInput(GetTaskQuery, request.query, 'query');
    if (!query.ok) return sendProblem(reply, invalidRequest(query.error));
    if (!(await readYourWrites(request, reply, query.value.min_position, deps.waiter))) return reply;
    const row = await findTask(deps.db, request.principal.user_id, params.value.id);
    if (!row) return sendProblem(reply, problem('not_found', 404, 'No such task', { detail: `task ${params.value.id} does not exist` }));
    const etag = `"${row.version}"`;
    reply.header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return toTaskView(rowToTask(row));
  });
}
