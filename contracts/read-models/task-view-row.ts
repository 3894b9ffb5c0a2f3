import type { Due, Recurrence, Reminder, Task } from '../../domain/task/types.ts';
import { dueInstants } from '../../domain/task/due-instant.ts';
import { priorityRank } from '../../domain/task/rules/priority.ts';

/*
 * The task read model as projections/task-view writes it and read-api queries it: the view's name and the
 * shape of its rows.
 */

/** The view every task query reads; it points at the projection's active versioned table. */
export const TASK_VIEW = 'task_view';

/** A task_view row as SELECT returns it. */
export interface TaskRow {
  task_id: string;
  user_id: string;
  title: string;
  description: string | null;
  status: 'open' | 'completed';
  priority: Task['priority'];
  tags: string[];
  due: Due | null;
  reminders: Reminder[];
  recurrence: Recurrence | null;
  series_id: string | null;
  occurrence: number;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
  deleted_at: Date | null;
  version: number;
  position: number;
}

/** The columns `rowToTask` needs, for SELECTs. */
export const TASK_ROW_COLUMNS = `task_id, user_id, title, description, status, priority, tags, due, reminders, recurrence,
  series_id, occurrence, created_at, updated_at, completed_at, deleted_at, version, position::float8 AS position`;

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function rowToTask(row: TaskRow): Task {
  return {
    id: row.task_id,
    user_id: row.user_id,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    tags: row.tags,
    due: row.due,
    reminders: row.reminders,
    recurrence: row.recurrence,
    series_id: row.series_id,
    occurrence: row.occurrence,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    completed_at: iso(row.completed_at),
    deleted_at: iso(row.deleted_at),
    version: row.version,
  };
}

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
  };
}
