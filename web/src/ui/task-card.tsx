import type { Task } from '../api/types.ts';
import { formatDue, formatReminder } from '../tasks/format.ts';

/** A task's fields, read only: the conflict dialog and time travel show a task this way. */
export function TaskCard({ task, label }: { task: Task; label?: string }) {
  return (
    <dl className="card" aria-label={label}>
      <dt>Title</dt><dd data-field="title">{task.title}</dd>
      <dt>Status</dt><dd data-field="status">{task.status}</dd>
      <dt>Priority</dt><dd>{task.priority}</dd>
      {task.description && (<><dt>Description</dt><dd className="pre">{task.description}</dd></>)}
      {task.tags.length > 0 && (<><dt>Tags</dt><dd>{task.tags.join(', ')}</dd></>)}
      {task.due && (<><dt>Due</dt><dd>{formatDue(task.due)}</dd></>)}
      {task.reminders.length > 0 && (<><dt>Reminders</dt><dd>{task.reminders.map(formatReminder).join('; ')}</dd></>)}
      {task.estimate_minutes !== null && (<><dt>Estimate</dt><dd>{task.estimate_minutes} min</dd></>)}
      {task.recurrence && (<><dt>Repeats</dt><dd><code>{task.recurrence.rrule}</code> from {task.recurrence.anchor ?? 'due'}</dd></>)}
      <dt>Version</dt><dd data-field="version">{task.version}</dd>
    </dl>
  );
}
