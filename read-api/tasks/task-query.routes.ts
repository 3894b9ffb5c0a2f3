import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TaskIdParams } from '../../contracts/commands.ts';
import { DEFAULT_ORDER, GetTaskQuery, ListTasksQuery, type TaskPage } from '../../contracts/queries.ts';
import { invalidRequest, sendProblem } from '../../contracts/problem-reply.ts';
import { problem } from '../../contracts/problem.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { rowToTask } from '../../contracts/read-models/task-view-row.ts';
import { parseInput } from '../../contracts/validation.ts';
import { awaitPosition } from '../consistency/read-your-writes.ts';
import type { ProjectionWaiter } from '../consistency/wait-for-projection.ts';
import { decodeCursor, encodeCursor } from './task-cursor.ts';
import { findTask, listTasks } from './list-tasks.sql.ts';
import { pageAnchor } from './page-anchor.ts';
import { toTaskView } from './task-response.ts';

const TASK_VIEW_PROJECTION = 'task-view';

export interface TaskQueryDeps {
  readonly db: Queryable;
  /** Where a page's last task is found as it was, when it was written since (see page-anchor.ts). */
  readonly log: EventLog;
  readonly waiter: ProjectionWaiter;
  readonly clock: () => Date;
}

/** Read your writes on any query over task_view: wait until it has the position, or answer 400/503. */
export const readYourWrites = (request: FastifyRequest, reply: FastifyReply, fromQuery: number | undefined, waiter: ProjectionWaiter) =>
  awaitPosition(request, reply, fromQuery, { waiter, projection: TASK_VIEW_PROJECTION, readModel: 'task list' });

export function registerTaskQueryRoutes(app: FastifyInstance, deps: TaskQueryDeps): void {
  app.get('/api/tasks', async (request, reply) => {
    const query = parseInput(ListTasksQuery, request.query, 'query');
    if (!query.ok) return sendProblem(reply, invalidRequest(query.error));
    const { sort, order: givenOrder, limit, cursor: givenCursor, min_position, ...filters } = query.value;
    const order = givenOrder ?? DEFAULT_ORDER[sort];
    const userId = request.principal.user_id;
    const cursor = givenCursor === undefined ? undefined : decodeCursor(givenCursor);
    const anchor = cursor ? await pageAnchor(deps, userId, cursor) : undefined;
    if (cursor === null || anchor === null || (cursor && (cursor.sort !== sort || cursor.order !== order))) {
      return sendProblem(reply, invalidRequest([{ path: 'query.cursor', message: 'not a cursor of this sort and order; start again without it' }]));
    }
    if (!(await readYourWrites(request, reply, min_position, deps.waiter))) return reply;

    const rows = await listTasks(deps.db, {
      filter: { ...filters, user_id: userId, now: deps.clock().toISOString() },
      sort,
      order,
      limit: limit + 1,
      ...(anchor ? { after: anchor } : {}),
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const body: TaskPage = {
      items: page.map((row) => toTaskView(rowToTask(row))),
      next_cursor: rows.length > limit && last ? encodeCursor({ sort, order, task_id: last.task_id, version: last.version }) : null,
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
