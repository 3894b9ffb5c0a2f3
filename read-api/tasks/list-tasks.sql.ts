import type { Order, Sort } from '../../contracts/queries.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { TASK_ROW_COLUMNS, TASK_VIEW, type TaskRow } from '../../contracts/read-models/task-view-row.ts';

/** Each sort is a column with a partial index (user_id, column, task_id); task_id breaks ties. */
const SORT_COLUMNS: Readonly<Record<Sort, { column: string; type: string }>> = {
  created: { column: 'created_at', type: 'timestamptz' },
  updated: { column: 'updated_at', type: 'timestamptz' },
  due: { column: 'due_sort', type: 'timestamptz' },
  priority: { column: 'priority_rank', type: 'smallint' },
  title: { column: 'title_key', type: 'text' },
};

export interface TaskFilter {
  readonly user_id: string;
  readonly status?: 'open' | 'completed';
  readonly priorities?: readonly string[];
  readonly tags?: readonly string[];
  readonly due_before?: string;
  readonly due_after?: string;
  readonly overdue?: boolean;
  readonly q?: string;
  /** The instant "overdue" is judged at. */
  readonly now: string;
}

export interface TaskPageRequest {
  readonly filter: TaskFilter;
  readonly sort: Sort;
  readonly order: Order;
  readonly limit: number;
  readonly after?: { readonly key: string; readonly id: string };
}

export type TaskRowWithKey = TaskRow & { sort_key: string };

/** One page of tasks by keyset: stable while tasks are written, one index range scan per page. */
export async function listTasks(db: Queryable, request: TaskPageRequest): Promise<TaskRowWithKey[]> {
  const { filter } = request;
  const params: unknown[] = [filter.user_id];
  const where = ['user_id = $1', 'deleted_at IS NULL'];
  const param = (value: unknown) => { params.push(value); return `$${params.length}`; };

  if (filter.status) where.push(`status = ${param(filter.status)}`);
  if (filter.priorities) where.push(`priority = ANY(${param(filter.priorities)}::text[])`);
  if (filter.tags) where.push(`tags && ${param(filter.tags)}::text[]`);
  if (filter.due_before) where.push(`due_at < ${param(filter.due_before)}::timestamptz`);
  if (filter.due_after) where.push(`due_at >= ${param(filter.due_after)}::timestamptz`);
  if (filter.overdue !== undefined) {
    const overdue = `(status = 'open' AND overdue_at <= ${param(filter.now)}::timestamptz)`;
    where.push(filter.overdue ? overdue : `NOT coalesce(${overdue}, false)`);
  }
  if (filter.q) where.push(`search @@ websearch_to_tsquery('english', ${param(filter.q)})`);

  const { column, type } = SORT_COLUMNS[request.sort];
  const direction = request.order === 'asc' ? 'ASC' : 'DESC';
  if (request.after) {
    const comparison = request.order === 'asc' ? '>' : '<';
    where.push(`(${column}, task_id) ${comparison} (${param(request.after.key)}::${type}, ${param(request.after.id)}::uuid)`);
  }
  const result = await db.query<TaskRowWithKey>(
    `SELECT ${TASK_ROW_COLUMNS}, ${column}::text AS sort_key FROM ${TASK_VIEW}
      WHERE ${where.join(' AND ')}
      ORDER BY ${column} ${direction}, task_id ${direction}
      LIMIT ${param(request.limit)}`,
    params,
  );
  return result.rows;
}

export async function findTask(db: Queryable, userId: string, taskId: string): Promise<TaskRow | null> {
  const result = await db.query<TaskRow>(
    `SELECT ${TASK_ROW_COLUMNS} FROM ${TASK_VIEW} WHERE task_id = $1 AND user_id = $2 AND deleted_at IS NULL`,
    [taskId, userId],
  );
  return result.rows[0] ?? null;
}
