import type { StoredFields, TaskView } from './task.ts';
import { fieldsOf, normaliseFields } from '../domain/task/fields.ts';
import type { Task } from '../domain/task/types.ts';
import { jsonText, type JsonText } from './json-text.ts';

/** The public shape of a task: the domain's fields less the owner and bookkeeping. */
export function toTaskView(task: Task): TaskView {
  return {
    id: task.id,
    // The domain's arrays are readonly; the view is serialised at once and never changed.
    ...(fieldsOf(task) as StoredFields),
    status: task.status,
    series_id: task.series_id,
    created_at: task.created_at,
    updated_at: task.updated_at,
    completed_at: task.completed_at,
    version: task.version,
  };
}

/** How `Date.prototype.toISOString` spells an instant of the years 0000–9999. */
const ISO_SPELLING = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** An instant as a timestamptz column gives it back (to the millisecond, in UTC); the clock's own text as it is. */
const instant = (text: string): string => (ISO_SPELLING.test(text) ? text : new Date(text).toISOString());

/**
 * A task's public JSON as its read-model row stores it and the task queries send it. The same text
 * whichever way the task came (folded from its stream, or read back from its row): fields in their stored
 * spelling (jsonb hands objects back with its own key order) and instants as timestamptz keeps them.
 */
export function taskViewJson(task: Task): JsonText<TaskView> {
  return jsonText(toTaskView({
    ...task,
    ...normaliseFields(task),
    created_at: instant(task.created_at),
    updated_at: instant(task.updated_at),
    completed_at: task.completed_at === null ? null : instant(task.completed_at),
  }));
}
