import type { StoredFields, TaskView } from '../../contracts/task.ts';
import { fieldsOf } from '../../domain/task/fields.ts';
import type { Task } from '../../domain/task/types.ts';

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
