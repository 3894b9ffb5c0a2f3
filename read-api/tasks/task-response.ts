import type { TaskView } from '../../contracts/task.ts';
import type { Task } from '../../domain/task/types.ts';

/** The public shape of a task: the domain's fields less the owner and bookkeeping. */
export function toTaskView(task: Task): TaskView {
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    tags: [...task.tags],
    due: task.due,
    reminders: task.reminders.map((r) => ({ ...r, channels: [...r.channels] })),
    recurrence: task.recurrence,
    series_id: task.series_id,
    created_at: task.created_at,
    updated_at: task.updated_at,
    completed_at: task.completed_at,
    version: task.version,
  };
}
