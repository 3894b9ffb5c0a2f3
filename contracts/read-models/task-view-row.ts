import type { CopyValue } from '../ports/sql.ts';
import type { Sort } from '../queries.ts';
import { EDITABLE_FIELDS, fieldsOf, type EditableField } from '../../domain/task/fields.ts';
import type { Task, TaskFields } from '../../domain/task/types.ts';
import { dueInstants } from '../../domain/task/due-instant.ts';
import { priorityRank } from '../../domain/task/rules/priority.ts';
import type { JsonText } from '../json-text.ts';
import type { TaskView } from '../task.ts';
import { taskViewJson } from '../task-response.ts';

/*
 * The task read model as projections/task-view writes it and read-api queries it: the view's name, its
 * columns (one description, from which the table's DDL, the projector's writes and the queries' SELECT list
 * are made) and the shape of its rows.
 */

/** The view every task query reads; it points at the projection's active versioned table. */
export const TASK_VIEW = 'task_view';

/** How a column is declared and written. */
interface ColumnSpec<V> {
  /** The SQL type, as in CREATE TABLE and in jsonb_to_recordset's column list. */
  readonly type: string;
  readonly notNull?: true;
  /**
   * Whether a query filters or sorts on it. The planner never reads the others' statistics, so they
   * carry none (ANALYZE, before a rebuilt table goes live and autovacuum's, skips them).
   */
  readonly planned?: true;
  /** The value as COPY's text format takes it (see gateways/postgres/copy-text.ts). */
  readonly copy: (value: V) => CopyValue;
}

const json = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));
const plain = <V extends CopyValue>(value: V): CopyValue => value;

/**
 * One column per editable field, named after it, read back as the domain holds it (jsonb parsed, text[] as
 * an array). Typed against TaskFields: a field without its column does not compile.
 */
const FIELD_COLUMNS: { readonly [K in EditableField]: ColumnSpec<TaskFields[K]> } = {
  title: { type: 'text', notNull: true, copy: plain },
  description: { type: 'text', copy: plain },
  priority: { type: 'text', notNull: true, planned: true, copy: plain },
  tags: { type: 'text[]', notNull: true, planned: true, copy: plain },
  due: { type: 'jsonb', copy: json },
  reminders: { type: 'jsonb', notNull: true, copy: json },
  recurrence: { type: 'jsonb', copy: json },
  estimate_minutes: { type: 'integer', planned: true, copy: plain },
};

/**
 * A task_view row as the projector writes it: the task's own fields (its id as task_id), the columns derived
 * from them, and the log position it was folded to.
 */
export interface TaskRecord extends Omit<Task, 'id'> {
  readonly task_id: string;
  readonly priority_rank: number;
  readonly due_at: string | null;
  readonly overdue_at: string | null;
  readonly position: number;
  /** The task's public JSON, rendered when the row is written: the task queries send it as it is. */
  readonly body: JsonText<TaskView>;
}

export interface TaskViewColumn extends Omit<ColumnSpec<never>, 'copy'> {
  readonly name: keyof TaskRecord;
  readonly copy: (record: TaskRecord) => CopyValue;
}

const column = <K extends keyof TaskRecord>(name: K, spec: ColumnSpec<TaskRecord[K]>): TaskViewColumn =>
  ({ ...spec, name, copy: (record) => spec.copy(record[name]) });

const fieldColumn = <K extends EditableField>(name: K): TaskViewColumn => column(name, FIELD_COLUMNS[name]);

/** Every stored column in table order; the generated ones (sort keys, search) are declared with the table. */
export const TASK_VIEW_COLUMNS: readonly TaskViewColumn[] = [
  column('task_id', { type: 'uuid', notNull: true, planned: true, copy: plain }),
  column('user_id', { type: 'text', notNull: true, planned: true, copy: plain }),
  ...EDITABLE_FIELDS.map(fieldColumn),
  column('status', { type: 'text', notNull: true, planned: true, copy: plain }),
  column('priority_rank', { type: 'smallint', notNull: true, planned: true, copy: plain }),
  column('due_at', { type: 'timestamptz', planned: true, copy: plain }),
  column('overdue_at', { type: 'timestamptz', planned: true, copy: plain }),
  column('series_id', { type: 'uuid', copy: plain }),
  column('occurrence', { type: 'integer', notNull: true, copy: plain }),
  column('created_at', { type: 'timestamptz', notNull: true, planned: true, copy: plain }),
  column('updated_at', { type: 'timestamptz', notNull: true, planned: true, copy: plain }),
  column('completed_at', { type: 'timestamptz', copy: plain }),
  column('deleted_at', { type: 'timestamptz', planned: true, copy: plain }),
  column('version', { type: 'integer', notNull: true, copy: plain }),
  column('position', { type: 'bigint', notNull: true, copy: plain }),
  column('body', { type: 'text', notNull: true, copy: plain }),
];

type SortKey = string | number;

/** Sorts after every estimate (the largest PostgreSQL integer). */
const UNESTIMATED = 2_147_483_647;

/** How the list is ordered by one sort: a column with a partial index (user_id, column, task_id). */
export interface SortColumn {
  readonly column: string;
  /** The SQL type its key is compared as. */
  readonly type: string;
  /** For a column PostgreSQL computes from others: its type and expression (made with the table). */
  readonly generated?: { readonly type: string; readonly expression: string };
  /** A task's value of the column, as a query parameter: a page can continue after any task, as it is now or was. */
  readonly key: (task: Task) => SortKey;
  /** Where the column is computed, how PostgreSQL computes it alike from the parameter. */
  readonly keySql?: (param: string) => string;
}

/** Every sort of the task list; task_id breaks ties. The table's generated sort columns and indexes are made from it. */
export const TASK_VIEW_SORTS: Readonly<Record<Sort, SortColumn>> = {
  created: { column: 'created_at', type: 'timestamptz', key: (task) => task.created_at },
  updated: { column: 'updated_at', type: 'timestamptz', key: (task) => task.updated_at },
  // Tasks without a due sort after every other (in ascending order).
  due: {
    column: 'due_sort', type: 'timestamptz', generated: { type: 'timestamptz', expression: `coalesce(due_at, 'infinity')` },
    key: (task) => (task.due ? dueInstants(task.due).due_at : 'infinity'),
  },
  priority: { column: 'priority_rank', type: 'smallint', key: (task) => priorityRank(task.priority) },
  // Case-insensitive, compared byte-wise: lower(title) in the title's collation, then "C".
  title: {
    column: 'title_key', type: 'text', generated: { type: 'text COLLATE "C"', expression: 'lower(title)' },
    key: (task) => task.title, keySql: (param) => `lower(${param}::text) COLLATE "C"`,
  },
  // Tasks without an estimate sort after every other (in ascending order).
  estimate: {
    column: 'estimate_sort', type: 'integer', generated: { type: 'integer', expression: `coalesce(estimate_minutes, ${UNESTIMATED})` },
    key: (task) => task.estimate_minutes ?? UNESTIMATED,
  },
};

/** A task_view row as SELECT returns it (with `TASK_ROW_COLUMNS`). */
export type TaskRow = TaskFields & {
  task_id: string;
  user_id: string;
  status: Task['status'];
  series_id: string | null;
  occurrence: number;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
  deleted_at: Date | null;
  version: number;
  position: number;
};

/** A task of a page as the list query returns it: what its cursor needs, and its public JSON. */
export interface TaskBodyRow {
  readonly task_id: string;
  readonly version: number;
  readonly body: JsonText<TaskView>;
}

/** The columns of a TaskBodyRow, for SELECTs. */
export const TASK_BODY_COLUMNS = 'task_id, version, body';

/** The columns `rowToTask` needs, for SELECTs. */
export const TASK_ROW_COLUMNS = `task_id, user_id, ${EDITABLE_FIELDS.join(', ')}, status,
  series_id, occurrence, created_at, updated_at, completed_at, deleted_at, version, position::float8 AS position`;

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function rowToTask(row: TaskRow): Task {
  return {
    id: row.task_id,
    user_id: row.user_id,
    ...fieldsOf(row),
    status: row.status,
    series_id: row.series_id,
    occurrence: row.occurrence,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    completed_at: iso(row.completed_at),
    deleted_at: iso(row.deleted_at),
    version: row.version,
  };
}

/** The row to write for a task state, derived columns included. */
export function taskToRecord(task: Task, position: number): TaskRecord {
  const { id, ...fields } = task;
  const instants = fields.due ? dueInstants(fields.due) : null;
  return {
    ...fields,
    task_id: id,
    priority_rank: priorityRank(fields.priority),
    due_at: instants?.due_at ?? null,
    overdue_at: instants?.overdue_from ?? null,
    position,
    body: taskViewJson(task),
  };
}
