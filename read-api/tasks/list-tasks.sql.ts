import type { Order, Sort, TaskFilters } from '../../contracts/queries.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { TASK_ROW_COLUMNS, TASK_VIEW, type TaskRow } from '../../contracts/read-models/task-view-row.ts';
import { dueInstants } from '../../domain/task/due-instant.ts';
import { priorityRank } from '../../domain/task/rules/priority.ts';
import type { Task } from '../../domain/task/types.ts';

type SortKey = string | number;

/**
 * Each sort is a column with a partial index (user_id, column, task_id); task_id breaks ties. `key` is a
 * task's value of that column as SQL compares it (`keySql` turns the parameter into it where the column is
 * computed by PostgreSQL), so a page can continue after any task, as it is now or as it was.
 */
const SORT_COLUMNS: Readonly<Record<Sort, { column: string; type: string; key: (task: Task) => SortKey; keySql?: (param: string) => string }>> = {
  created: { column: 'created_at', type: 'timestamptz', key: (task) => task.created_at },
  updated: { column: 'updated_at', type: 'timestamptz', key: (task) => task.updated_at },
  due: { column: 'due_sort', type: 'timestamptz', key: (task) => (task.due ? dueInstants(task.due).due_at : 'infinity') },
  priority: { column: 'priority_rank', type: 'smallint', key: (task) => priorityRank(task.priority) },
  // title_key is lower(title) in the column's collation, computed by PostgreSQL alike for the parameter.
  title: { column: 'title_key', type: 'text', key: (task) => task.title, keySql: (param) => `lower(${param}::text) COLLATE "C"` },
};

/** Where a page continues: after this task, whose sort value is `key`. */
export interface PageAnchor { readonly key: SortKey; readonly id: string }

export const sortKeyOf = (sort: Sort, task: Task): SortKey => SORT_COLUMNS[sort].key(task);

export interface TaskFilter extends TaskFilters {
  readonly user_id: string;
  /** The instant "overdue" is judged at. */
  readonly now: string;
}

export interface TaskPageRequest {
  readonly filter: TaskFilter;
  readonly sort: Sort;
  readonly order: Order;
  readonly limit: number;
  readonly after?: PageAnchor;
}

/** One page of tasks by keyset: stable while tasks are written, one index range scan per page. */
export async function listTasks(db: Queryable, request: TaskPageRequest): Promise<TaskRow[]> {
  const { filter } = request;
  const params: unknown[] = [filter.user_id];
  const where = ['user_id = $1', 'deleted_at IS NULL'];
  const param = (value: unknown) => { params.push(value); return `$${params.length}`; };

  if (filter.status) where.push(`status = ${param(filter.status)}`);
  if (filter.priority) where.push(`priority = ANY(${param(filter.priority)}::text[])`);
  if (filter.tag) where.push(`tags && ${param(filter.tag)}::text[]`);
  if (filter.due_before) where.push(`due_at < ${param(filter.due_before)}::timestamptz`);
  if (filter.due_after) where.push(`due_at >= ${param(filter.due_after)}::timestamptz`);
  if (filter.overdue !== undefined) {
    const overdue = `(status = 'open' AND overdue_at <= ${param(filter.now)}::timestamptz)`;
    where.push(filter.overdue ? overdue : `NOT coalesce(${overdue}, false)`);
  }
  if (filter.q) where.push(`search @@ websearch_to_tsquery('english', ${param(filter.q)})`);

  const { column, type, keySql } = SORT_COLUMNS[request.sort];
  const direction = request.order === 'asc' ? 'ASC' : 'DESC';
  if (request.after) {
    const comparison = request.order === 'asc' ? '>' : '<';
    const key = param(request.after.key);
    where.push(`(${column}, task_id) ${comparison} (${keySql ? keySql(key) : `${key}::${type}`}, ${param(request.after.id)}::uuid)`);
  }
  const result = await db.query<TaskRow>(
    `SELECT ${TASK_ROW_COLUMNS} FROM ${TASK_VIEW}
      WHERE ${where.join(' AND ')}
      ORDER BY ${column} ${direction}, task_id ${direction}
      LIMIT ${param(request.limit)}`,
    params,
  );
  return result.rows;
}

/** One of the user's tasks; a deleted one only when asked for (a page may have ended on it). */
export async function findTask(db: Queryable, userId: string, taskId: string, options: { deleted?: boolean } = {}): Promise<TaskRow | null> {
  const result = await db.query<TaskRow>(
    `SELECT ${TASK_ROW_COLUMNS} FROM ${TASK_VIEW} WHERE task_id = $1 AND user_id = $2${options.deleted ? '' : ' AND deleted_at IS NULL'}`,
    [taskId, userId],
  );
  return result.rows[0] ?? null;
}
