import type { Order, Sort, TaskFilters } from '../../contracts/queries.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { TASK_BODY_COLUMNS, TASK_ROW_COLUMNS, TASK_VIEW, TASK_VIEW_SORTS, type SortColumn, type TaskBodyRow, type TaskRow } from '../../contracts/read-models/task-view-row.ts';
import type { Task } from '../../domain/task/types.ts';

/** Where a page continues: after this task, whose sort value is `key`. */
export interface PageAnchor { readonly key: ReturnType<SortColumn['key']>; readonly id: string }

export const sortKeyOf = (sort: Sort, task: Task): PageAnchor['key'] => TASK_VIEW_SORTS[sort].key(task);

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

/**
 * One page of tasks by keyset: stable while tasks are written, one index range scan per page. Each task
 * comes as the JSON its row holds, with what its cursor needs.
 */
export async function listTasks(db: Queryable, request: TaskPageRequest): Promise<TaskBodyRow[]> {
  const { where, param, params } = filterClauses(request.filter);
  const { column, type, keySql } = TASK_VIEW_SORTS[request.sort];
  const direction = request.order === 'asc' ? 'ASC' : 'DESC';
  if (request.after) {
    const comparison = request.order === 'asc' ? '>' : '<';
    const key = param(request.after.key);
    where.push(`(${column}, task_id) ${comparison} (${keySql ? keySql(key) : `${key}::${type}`}, ${param(request.after.id)}::uuid)`);
  }
  if (!Number.isSafeInteger(request.limit) || request.limit < 1) throw new RangeError(`a page's limit is a positive integer, not ${request.limit}`);
  // The limit is in the text, not a parameter: a generic plan would otherwise assume a tenth of the rows.
  const text = `SELECT ${TASK_BODY_COLUMNS} FROM ${TASK_VIEW}
      WHERE ${where.join(' AND ')}
      ORDER BY ${column} ${direction}, task_id ${direction}
      LIMIT ${request.limit}`;
  const name = request.filter.q === undefined ? shapeName(text) : undefined;
  const result = await db.query<TaskBodyRow>(text, params, name === undefined ? {} : { name });
  return result.rows;
}

/** How many of the list's statement shapes are named (each connection keeps each named one's plan). */
const MAX_NAMED_SHAPES = 200;
const shapeNames = new Map<string, string>();

/**
 * A name for a shape of the list's statement (which filters, which sort and order, a cursor or not, the
 * limit): PostgreSQL then parses it once per connection, and after five runs plans it once too when the
 * generic plan is as good as the custom ones — an index range scan of the user's rows in the sort's
 * order, whoever the user. A full-text search stays unnamed: how many of a user's tasks match decides
 * its plan. Past the bound, shapes go unnamed.
 */
function shapeName(text: string): string | undefined {
  let name = shapeNames.get(text);
  if (name === undefined && shapeNames.size < MAX_NAMED_SHAPES) {
    name = `list-tasks-${shapeNames.size + 1}`;
    shapeNames.set(text, name);
  }
  return name;
}

/** How many of the user's tasks the filter finds. */
export async function countTasks(db: Queryable, filter: TaskFilter): Promise<number> {
  const { where, params } = filterClauses(filter);
  const result = await db.query<{ count: string }>(`SELECT count(*) AS count FROM ${TASK_VIEW} WHERE ${where.join(' AND ')}`, params);
  return Number(result.rows[0]?.count ?? 0);
}

/** The WHERE of a filter, said once for the list and the count; `param` adds a further parameter. */
function filterClauses(filter: TaskFilter) {
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
  if (filter.estimate_max !== undefined) where.push(`estimate_minutes <= ${param(filter.estimate_max)}::integer`);
  if (filter.q) where.push(`search @@ websearch_to_tsquery('english', ${param(filter.q)})`);
  return { where, param, params };
}

/** One of the user's tasks; a deleted one only when asked for (a page may have ended on it). */
export async function findTask(db: Queryable, userId: string, taskId: string, options: { deleted?: boolean } = {}): Promise<TaskRow | null> {
  // Named: parsed and planned once per connection (a primary-key look-up, the same plan for every task).
  const result = await db.query<TaskRow>(
    `SELECT ${TASK_ROW_COLUMNS} FROM ${TASK_VIEW} WHERE task_id = $1 AND user_id = $2${options.deleted ? '' : ' AND deleted_at IS NULL'}`,
    [taskId, userId],
    { name: options.deleted ? 'find-task-any' : 'find-task' },
  );
  return result.rows[0] ?? null;
}

/** One of the user's (undeleted) tasks as the JSON its row holds, with its version. */
export async function findTaskBody(db: Queryable, userId: string, taskId: string): Promise<TaskBodyRow | null> {
  // Named, as findTask.
  const result = await db.query<TaskBodyRow>(
    `SELECT ${TASK_BODY_COLUMNS} FROM ${TASK_VIEW} WHERE task_id = $1 AND user_id = $2 AND deleted_at IS NULL`,
    [taskId, userId],
    { name: 'find-task-body' },
  );
  return result.rows[0] ?? null;
}
