import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import { parseTaskEvent } from '../../contracts/events/task-events.ts';
import type { AsOf } from '../../contracts/history.ts';
import { evolve, initialState } from '../../domain/task/evolve.ts';
import type { TaskState } from '../../domain/task/types.ts';

/**
 * The events that had happened at a point: always a prefix of the stream. Store times need not rise with
 * versions (a transaction can take its time before it commits), and folding version N+1 without N would
 * be a state the task never had, so an `at` stops at the first event recorded after it.
 */
export function eventsAsOf(events: readonly StoredEvent[], asOf: AsOf): StoredEvent[] {
  if ('version' in asOf) return events.filter((event) => event.version <= asOf.version);
  const at = Date.parse(asOf.at);
  const after = events.findIndex((event) => Date.parse(event.created_at) > at);
  return after === -1 ? [...events] : events.slice(0, after);
}

/** The task folded from stored events with the domain's own `evolve`, as the write side folds it. */
export function foldStoredEvents(events: readonly StoredEvent[]): TaskState {
  let state: TaskState = initialState;
  for (const stored of events) {
    const event = parseTaskEvent(stored.type, stored.data);
    if (!event) continue;
    const next = evolve(state, event);
    // The stream's own version wins over a count of folded events, so `version` names a stored event.
    state = next.kind === 'present' ? { kind: 'present', task: { ...next.task, version: stored.version } } : next;
  }
  return state;
}
