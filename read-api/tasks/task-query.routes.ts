import { z } from 'zod';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { TaskIdParams } from '../../contracts/commands.ts';
import { ConditionalReadHeaders, ReadYourWritesHeaders } from '../../contracts/http-headers.ts';
import { defineRoute, problemAnswer } from '../../contracts/http-route.ts';
import { CountTasksQuery, DEFAULT_ORDER, GetTaskQuery, ListTasksQuery, TaskCount, TaskPage } from '../../contracts/queries.ts';
import { sendProblem } from '../../contracts/problem-reply.ts';
import { problem } from '../../contracts/problem.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { rowToTask, type TaskRow } from '../../contracts/read-models/task-view-row.ts';
import { Task } from '../../contracts/task.ts';
import { awaitPosition, notCaughtUpAnswer } from '../consistency/read-your-writes.ts';
import type { ProjectionWaiter } from '../consistency/wait-for-projection.ts';
import { decodeCursor, encodeCursor } from './task-cursor.ts';
import { countTasks, findTask, listTasks } from './list-tasks.sql.ts';
import { pageAnchor } from './page-anchor.ts';
import { toTaskView } from './task-response.ts';
import { PROJECTIONS } from '../../contracts/projection-names.ts';
import { refuseCursor } from '../paging/refuse-cursor.ts';


export interface TaskQueryDeps {
  readonly db: Queryable;
  /** Where a page's last task is found as it was, when it was written since (see page-anchor.ts). */
  readonly log: Pick<EventLog, 'readStream'>;
  readonly waiter: ProjectionWaiter;
  readonly clock: () => Date;
}

/** Read your writes on any query over task_view: wait until it has the position, or answer 503. */
export const readYourWrites = (reply: FastifyReply, asked: { query: number | undefined; header: number | undefined }, waiter: ProjectionWaiter) =>
  awaitPosition(reply, asked, { waiter, projection: PROJECTIONS.taskView, readModel: 'task list' });

/** The caller's task once the read model has `asked`, or null once a 503 (not caught up) or 404 was answered. */
export async function readOwnTask(
  deps: Pick<TaskQueryDeps, 'db' | 'waiter'>,
  reply: FastifyReply,
  userId: string,
  taskId: string,
  asked: { query: number | undefined; header: number | undefined },
): Promise<TaskRow | null> {
  if (!(await readYourWrites(reply, asked, deps.waiter))) return null;
  const row = await findTask(deps.db, userId, taskId);
  if (!row) sendProblem(reply, problem('not_found', 404, 'No such task', { detail: `task ${taskId} does not exist` }));
  return row;
}

export function registerTaskQueryRoutes(app: FastifyInstance, deps: TaskQueryDeps): void {
  defineRoute(app, {
    method: 'GET', url: '/api/tasks', operationId: 'listTasks', tags: ['tasks'],
    summary: 'The caller\'s tasks: filtered, searched, sorted, a page at a time',
    query: ListTasksQuery, headers: ReadYourWritesHeaders,
    responses: {
      200: { description: 'A page of tasks; `next_cursor` is null on the last page', schema: TaskPage },
      400: problemAnswer('Invalid query parameters (or a cursor of another sort and order); `errors` lists each one'),
      503: notCaughtUpAnswer,
    },
    handler: async ({ query, headers }, request, reply) => {
      const { sort, order: givenOrder, limit, cursor: givenCursor, min_position, ...filters } = query;
      const order = givenOrder ?? DEFAULT_ORDER[sort];
      const userId = request.principal.user_id;
      const cursor = givenCursor === undefined ? undefined : decodeCursor(givenCursor);
      const anchor = cursor ? await pageAnchor(deps, userId, cursor) : undefined;
      if (cursor === null || anchor === null || (cursor && (cursor.sort !== sort || cursor.order !== order))) {
        return refuseCursor(reply, 'of this sort and order');
      }
      if (!(await readYourWrites(reply, { query: min_position, header: headers['x-min-position'] }, deps.waiter))) return reply;

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
    },
  });

  defineRoute(app, {
    method: 'GET', url: '/api/tasks/count', operationId: 'countTasks', tags: ['tasks'],
    summary: 'How many of the caller\'s tasks the filters of `GET /api/tasks` find',
    query: CountTasksQuery, headers: ReadYourWritesHeaders,
    responses: {
      200: { description: 'The number of tasks', schema: TaskCount },
      503: notCaughtUpAnswer,
    },
    handler: async ({ query, headers }, request, reply) => {
      const { min_position, ...filters } = query;
      if (!(await readYourWrites(reply, { query: min_position, header: headers['x-min-position'] }, deps.waiter))) return reply;
      const count = await countTasks(deps.db, { ...filters, user_id: request.principal.user_id, now: deps.clock().toISOString() });
      return { count } satisfies TaskCount;
    },
  });

  defineRoute(app, {
    method: 'GET', url: '/api/tasks/:id', operationId: 'getTask', tags: ['tasks'],
    summary: 'One task, with its version as ETag',
    params: TaskIdParams, query: GetTaskQuery, headers: ConditionalReadHeaders,
    responses: {
      200: { description: 'The task', schema: Task, headers: { etag: { description: 'The task\'s version, quoted', schema: z.string() } } },
      304: { description: 'If-None-Match names the current version: the client\'s copy is current', headers: { etag: { description: 'The task\'s version, quoted', schema: z.string() } } },
      404: problemAnswer('No such task (or another user\'s, or deleted)'),
      503: notCaughtUpAnswer,
    },
    handler: async ({ params, query, headers }, request, reply) => {
      const row = await readOwnTask(deps, reply, request.principal.user_id, params.id, { query: query.min_position, header: headers['x-min-position'] });
      if (!row) return reply;
      const etag = `"${row.version}"`;
      reply.header('etag', etag);
      if (headers['if-none-match'] === etag) return reply.code(304).send();
      return toTaskView(rowToTask(row));
    },
  });
}
