import type { TaskEvent, TaskState } from '../../../domain/task/types.ts';
import { assertNever } from '../../../domain/common/result.ts';

/**
 * Whether an event can change a reminder schedule, and so belongs on the `reminders` topic: a creation with
 * reminders, an update that touches reminders or the due date they count from, and completing, reopening
 * or deleting a task that has reminders (its pending reminders are cancelled or come back).
 */
export function changesReminders(event: TaskEvent, after: TaskState): boolean {
  const hasReminders = after.kind === 'present' && after.task.reminders.length > 0;
  switch (event.type) {
    case 'TaskCreated': return hasReminders;
    case 'TaskUpdated': return 'reminders' in event.data.changes || 'due' in event.data.changes;
    case 'TaskCompleted':
    case 'TaskReopened':
    case 'TaskDeleted':
      return hasReminders;
    default: return assertNever(event);
  }
}
