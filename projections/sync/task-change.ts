import { foldWholeStream } from '../../contracts/events/fold-task-stream.ts';
import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { TaskChange } from '../../contracts/ports/live-feed.ts';
import type { TaskEventType } from '../../domain/task/types.ts';
import { TASK_EVENT_TYPES } from '../../domain/task/types.ts';

const isTaskEventType = (type: string): type is TaskEventType => (TASK_EVENT_TYPES as readonly string[]).includes(type);

/**
 * The task as of this event, folded from its own stream with the domain's evolve: the same state the
 * write side decides on, whatever read model lags behind.
 */
export async function taskChangeOf(log: EventLog, event: StoredEvent): Promise<TaskChange | null> {
  if (!isTaskEventType(event.type)) return null;
  const state = foldWholeStream(await log.readStream(event.stream_id, { toVersion: event.version }));
  if (state.kind === 'absent') return null;
  return {
    position: event.position,
    transaction_id: event.transaction_id,
    task_id: event.stream_id,
    version: event.version,
    event_type: event.type,
    owner: state.task.user_id,
    task: state.task.deleted_at ? null : state.task,
  };
}
