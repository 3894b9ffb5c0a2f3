import { evolve, initialState } from '../../domain/task/evolve.ts';
import type { TaskEvent, TaskState } from '../../domain/task/types.ts';
import type { StreamEvent } from './stored-event.ts';
import { parseTaskEvent } from './task-events.ts';

/** One stored event folded: what it said, and the task before and after it. */
export interface FoldStep<E extends StreamEvent> {
  readonly stored: E;
  readonly event: TaskEvent;
  readonly before: TaskState;
  readonly after: TaskState;
}

/** The stream version a state stands at: the last stored event folded into it (0 before the creation). */
export function versionOf(state: TaskState): number {
  return state.kind === 'present' ? state.task.version : state.version;
}

/**
 * The one fold of a task stream, used by the write side, time travel and every projection: stored events
 * (already upcast by the store) parsed against their schema and applied with the domain's `evolve`, onto
 * `start`. The task takes the stored event's own version, not a count of folded events, because a
 * dead-lettered event leaves a gap in that count. Events at or below the version folded so far were
 * folded already and are passed over, so folding a batch twice changes nothing; events that are not task events
 * are passed over too. `onStep` sees each event that was folded.
 */
export function foldTaskStream<E extends StreamEvent>(
  start: TaskState,
  events: Iterable<E>,
  onStep?: (step: FoldStep<E>) => void,
): TaskState {
  let state = start;
  for (const stored of events) {
    if (stored.version <= versionOf(state)) continue;
    const event = parseTaskEvent(stored.type, stored.data);
    if (!event) continue;
    const next = evolve(state, event);
    const after: TaskState = next.kind === 'present' ? { kind: 'present', task: { ...next.task, version: stored.version } } : next;
    onStep?.({ stored, event, before: state, after });
    state = after;
  }
  return state;
}

/** A task's whole stream (or a prefix of it) folded from nothing. */
export function foldWholeStream(events: Iterable<StreamEvent>): TaskState {
  return foldTaskStream(initialState, events);
}
