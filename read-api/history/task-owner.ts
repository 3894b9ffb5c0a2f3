import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import { parseTaskEvent } from '../../contracts/events/task-events.ts';

/** Who created the task: the user_id of its TaskCreated at version 1, or null when the stream has none. */
export function taskOwner(first: StoredEvent | undefined): string | null {
  if (first?.version !== 1) return null;
  const event = parseTaskEvent(first.type, first.data);
  return event?.type === 'TaskCreated' ? event.data.user_id : null;
}
