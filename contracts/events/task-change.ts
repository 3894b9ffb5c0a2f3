import type { TaskChange } from '../ports/live-feed.ts';
import type { FoldStep } from './fold-task-stream.ts';
import type { StoredEvent } from './stored-event.ts';

/**
 * One folded event as a change of its task, what the live feed's frames and the bus's task-updates carry:
 * who owns the task and what it looks like now (null once deleted); none while the task is absent.
 */
export function taskChangeOf({ stored, event, after }: FoldStep<StoredEvent>): TaskChange | null {
  if (after.kind === 'absent') return null;
  return {
    position: stored.position,
    transaction_id: stored.transaction_id,
    task_id: stored.stream_id,
    version: stored.version,
    event_type: event.type,
    owner: after.task.user_id,
    task: after.task.deleted_at ? null : after.task,
  };
}
