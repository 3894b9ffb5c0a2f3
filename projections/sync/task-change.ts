import { parseTaskEvent } from '../../contracts/events/task-events.ts';
import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import { evolve, initialState } from '../../domain/task/evolve.ts';
import type { TaskChange } from '../../contracts/ports/live-feed.ts';
import type { TaskEventType, TaskState } from '../../domain/task/types.ts';
import { TASK_EVENT_TYPES } from '../../domain/task/types.ts';

const isTaskEventType = (type: string): type is TaskEventType => (TASK_EVENT_TYPES as readonly string[]).includes(type);

/**
 * The task as of this event, folded from its own stream with the domain's evolve: the same state the
 * write side decides on, whatever read model lags behind.
 */
export async function taskChangeOf(log: EventLog, event: StoredEvent): Promise<TaskChange | null> {
  if (!isTaskEventType(event.type)) return null;
  let state: TaskState = initialState;
  for (const stored of await log.readStream(event.stream_id, { toVersion: event.version })) {
    const parsed = parseTaskEvent(stored.type, stored.data);
    if (parsed) state = evolve(state, parsed);
  }
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
