import { parseTaskEvent } from '../../contracts/events/task-events.ts';
import type { StreamEvent } from '../../contracts/events/stored-event.ts';
import { evolve } from '../../domain/task/evolve.ts';
import type { TaskEvent, TaskState } from '../../domain/task/types.ts';

/**
 * The domain's `evolve` for a stored event, as every task projector folds it: the task takes the stream's
 * own version, not a count of folded events, because a dead-lettered event leaves a gap in that count.
 * Null for an event that is not a task event.
 */
export function evolveStored(state: TaskState, stored: StreamEvent): { readonly event: TaskEvent; readonly state: TaskState } | null {
  const event = parseTaskEvent(stored.type, stored.data);
  if (!event) return null;
  const next = evolve(state, event);
  return { event, state: next.kind === 'present' ? { kind: 'present', task: { ...next.task, version: stored.version } } : next };
}
