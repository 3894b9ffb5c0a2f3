/**
 * How each event changes a task: the one fold used by the write side, time travel and tests. Total over
 * well-typed events, so replaying any stored stream can never throw.
 */
import { assertNever } from '../common/result.ts';
import { applyChanges, fieldsOf } from './fields.ts';
import type { Task, TaskEvent, TaskState } from './types.ts';

export const initialState: TaskState = { kind: 'absent', version: 0 };

export function evolve(state: TaskState, event: TaskEvent): TaskState {
  if (state.kind === 'absent') {
    // Only a creation can start a stream; anything else before it has nothing to apply to.
    return event.type === 'TaskCreated' ? { kind: 'present', task: created(event.data) } : state;
  }
  return { kind: 'present', task: { ...applied(state.task, event), version: state.task.version + 1 } };
}

export function fold(events: readonly TaskEvent[]): TaskState {
  return events.reduce(evolve, initialState);
}

function created(data: Extract<TaskEvent, { type: 'TaskCreated' }>['data']): Task {
  return {
    id: data.task_id,
    user_id: data.user_id,
    ...fieldsOf(data),
    status: 'open',
    series_id: data.series_id,
    occurrence: data.occurrence,
    created_at: data.created_at,
    updated_at: data.created_at,
    completed_at: null,
    deleted_at: null,
    version: 1,
  };
}

function applied(task: Task, event: TaskEvent): Task {
  switch (event.type) {
    // A stream has one creation; a second one (never decided, only possible in a corrupt stream) changes nothing.
    case 'TaskCreated': return task;
    case 'TaskUpdated': return { ...task, ...applyChanges(task, event.data.changes), updated_at: event.data.updated_at };
    case 'TaskCompleted':
      return { ...task, status: 'completed', completed_at: event.data.completed_at, updated_at: event.data.completed_at };
    case 'TaskReopened':
      return { ...task, status: 'open', completed_at: null, deleted_at: null, updated_at: event.data.reopened_at };
    case 'TaskDeleted': return { ...task, deleted_at: event.data.deleted_at, updated_at: event.data.deleted_at };
    default: return assertNever(event);
  }
}
