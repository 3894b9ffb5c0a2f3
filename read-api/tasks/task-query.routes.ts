import { z } from 'zod';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { TaskIdParams } from '../../contracts/commands.ts';
import { ConditionalReadHeaders, ReadYourWritesHeaders } from '../../contracts/http-headers.ts';
import { defineRoute, problemAnswer } from '../../contracts/http-route.ts';
import { CountTasksQuery, GetTaskQuery, ListTasksQuery, TaskCount, TaskPage } from '../../contracts/queries.ts';
import { sendProblem } from '../../contracts/problem-reply.ts';
import { problem } from '../../contracts/problem.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import type { TaskRow } from '../../contracts/read-models/task-view-row.ts';
import { jsonArray, jsonObject, jsonText, sendJsonText } from '../../contracts/json-text.ts';
import { Task } from '../../contracts/task.ts';
import { awaitPosition, notCaughtUpAnswer } from '../consistency/read-your-writes.ts';
import type { ProjectionWaiter } from '../consistency/wait-for-projection.ts';
import { encodeCursor } from './task-cursor.ts';
import { countTasks, findTask, findTaskBody, listTasks } from './list-tasks.sql.ts';
import { pageRequestOf } from './page-request.ts';
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

type Asked = { query: number | undefined; header: number | undefined };

/** What `find` found of the caller's task once the read model has `asked`, or null once a 503 (not caught up) or 404 was answered. */
async function readOwn<R>(waiter: ProjectionWaiter, reply: FastifyReply, taskId: string, asked: Asked, find: () => Promise<R | null>): Promise<R | null> {
  if (!(await readYourWrites(reply, asked, waiter))) return null;
  const found = await find();
  if (!found) sendProblem(reply, problem('not_found', 404, 'No such task', { detail: `task ${taskId} does not exist` }));
  return found;
}

/** The caller's task once the read model has `asked`, or null once a 503 (not caught up) or 404 was answered. */
export const readOwnTask = (deps: Pick<TaskQueryDeps, 'db' | 'waiter'>, reply: FastifyReply, userId: string, taskId: string, asked: Asked): Promise<TaskRow | null> =>
  readOwn(deps.waiter, reply, taskId, asked, () => findTask(deps.db, userId, taskId));

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
      const userId = request.principal.user_id;
      const pageRequest = await pageRequestOf(deps, userId, query, deps.clock().toISOString());
      if (!pageRequest) return refuseCursor(reply, 'of this sort and order');
      if (!(await readYourWrites(reply, { query: query.min_position, header: headers['x-min-position'] }, deps.waiter))) return reply;

      const rows = await listTasks(deps.db, pageRequest);
      const { sort, order } = pageRequest;
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      // Each task's JSON as its row holds it: the page is put together, not serialised again.
      return sendJsonText(reply, jsonObject<TaskPage>({
        items: jsonArray(page.map((row) => row.body)),
        next_cursor: jsonText(rows.length > query.limit && last ? encodeCursor({ sort, order, task_id: last.task_id, version: last.version }) : null),
      }));
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
      const userId = request.principal.user_id;
      const row = await readOwn(deps.waiter, reply, params.id, { query: query.min_position, header: headers['x-min-position'] },
        () => findTaskBody(deps.db, userId, params.id));
      if (!row) return reply;
      const etag = `"${row.version}"`;
      reply.header('etag', etag);
      if (headers['if-none-match'] === etag) return reply.code(304).send();
      return sendJsonText(reply, row.body);
    },
  });
}
