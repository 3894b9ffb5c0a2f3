import type { Queryable, QueryResult } from '../contracts/ports/sql.ts';
import { decodeCursor } from '../read-api/tasks/task-cursor.ts';
import { findTask, listTasks, sortKeyOf, type PageAnchor, type TaskPageRequest } from '../read-api/tasks/list-tasks.sql.ts';
import { rowToTask } from '../contracts/read-models/task-view-row.ts';

/*
 * EXPLAIN ANALYZE of the list queries exactly as the API builds them: listTasks runs against a Queryable
 * that prefixes EXPLAIN to whatever SQL it is given and keeps the plan.
 */

export interface ExplainedQuery {
  readonly kind: string;
  readonly executionMs: number;
  readonly plan: string;
}

const PAGE = 51; // the API asks for limit + 1 to know whether there is a next page

function requests(userId: string, now: string, after: PageAnchor | null): Array<{ kind: string; request: TaskPageRequest }> {
  const filter = { user_id: userId, now };
  const created = { sort: 'created', order: 'desc', limit: PAGE } as const;
  return [
    { kind: 'default (created desc)', request: { filter, ...created } },
    { kind: 'status=open', request: { filter: { ...filter, status: 'open' }, ...created } },
    { kind: 'tag', request: { filter: { ...filter, tag: ['work'] }, ...created } },
    { kind: 'priority', request: { filter: { ...filter, priority: ['high'] }, ...created } },
    { kind: 'overdue=true', request: { filter: { ...filter, overdue: true }, ...created } },
    { kind: 'q (full text)', request: { filter: { ...filter, q: 'tax return' }, ...created } },
    { kind: 'sort=due', request: { filter, sort: 'due', order: 'asc', limit: PAGE } },
    { kind: 'sort=title', request: { filter, sort: 'title', order: 'asc', limit: PAGE } },
    ...(after ? [{ kind: 'page 2 (cursor)', request: { filter, ...created, after } }] : []),
  ];
}

export async function explainListQueries(db: Queryable, userId: string, cursor: string): Promise<ExplainedQuery[]> {
  const explained: ExplainedQuery[] = [];
  // The anchor as the API finds it for an unchanged task: from its row (the log is not needed then).
  const decoded = decodeCursor(cursor);
  const row = decoded ? await findTask(db, userId, decoded.task_id, { deleted: true }) : null;
  const after = decoded && row ? { key: sortKeyOf(decoded.sort, rowToTask(row)), id: row.task_id } : null;
  for (const { kind, request } of requests(userId, new Date().toISOString(), after)) {
    let plan = '';
    const explaining: Queryable = {
      async query<R extends object>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
        const result = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${text}`, params);
        plan = result.rows.map((row) => row['QUERY PLAN']).join('\n');
        return { rows: [], rowCount: 0 };
      },
    };
    await listTasks(explaining, request);
    const time = /Execution Time: ([\d.]+) ms/.exec(plan);
    explained.push({ kind, executionMs: time ? Number(time[1]) : Number.NaN, plan });
  }
  return explained;
}
