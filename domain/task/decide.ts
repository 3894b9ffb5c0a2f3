/**
 * The task decider: given a command and the task's current state, which events happen. Pure: the time,
 * the ids and the acting user all arrive inside the command.
 */
import { jsonEqual } from '../common/json-equal.ts';
import { assertNever, err, ok } from '../common/result.ts';
import type { Result } from '../common/result.ts';
import { applyChanges, EDITABLE_FIELDS, normaliseFields, someFields, validateFields, withEmptyFields, type EditableField } from './fields.ts';
import type {
  CompleteTask, CreateTask, DeleteTask, DomainError, FieldError, ReopenTask, Task, TaskCommand, TaskEvent, TaskFields, TaskState,
  UpdateTask,
} from './types.ts';

type Decision = Result<TaskEvent[], DomainError>;

export function decide(command: TaskCommand, state: TaskState): Decision {
  switch (command.type) {
    case 'CreateTask': return createTask(command, state);
    case 'UpdateTask': return updateTask(command, state);
    case 'CompleteTask': return completeTask(command, state);
    case 'ReopenTask': return reopenTask(command, state);
    case 'DeleteTask': return deleteTask(command, state);
    default: return assertNever(command);
  }
}

function createTask(command: CreateTask, state: TaskState): Decision {
  if (state.kind === 'present') return err({ code: 'already_exists', task_id: command.task_id });
  const fields = withEmptyFields(command.fields);
  const errors = [...validateFields(fields), ...validateSeries(command.series)];
  if (errors.length > 0) return err({ code: 'validation', errors });
  return ok([{
    type: 'TaskCreated',
    data: {
      task_id: command.task_id,
      user_id: command.user_id,
      ...normaliseFields(fields),
      series_id: command.series?.series_id ?? null,
      occurrence: command.series?.occurrence ?? 0,
      created_at: command.now,
    },
  }]);
}

function updateTask(command: UpdateTask, state: TaskState): Decision {
  const task = liveTask(state, command.user_id);
  if (!task) return err(notFound(command));
  const mentioned = EDITABLE_FIELDS.filter((field) => command.changes[field] !== undefined);
  if (mentioned.length === 0) return ok([]);
  // Validated as a whole, because a change to one field can break a rule that involves another
  // (clearing `due` under a before_minutes reminder).
  const requested = applyChanges(task, command.changes);
  const errors = validateFields(requested);
  if (errors.length > 0) return err({ code: 'validation', errors });
  const changes = changedFields(task, normaliseFields(requested), mentioned);
  if (Object.keys(changes).length === 0) return ok([]);
  return ok([{ type: 'TaskUpdated', data: { task_id: command.task_id, changes, updated_at: command.now } }]);
}

function completeTask(command: CompleteTask, state: TaskState): Decision {
  const task = liveTask(state, command.user_id);
  if (!task) return err(notFound(command));
  if (task.status === 'completed') return ok([]);
  return ok([{ type: 'TaskCompleted', data: { task_id: command.task_id, completed_at: command.now } }]);
}

/** Reopening is also how a deleted task is restored, so a deleted task is found here. */
function reopenTask(command: ReopenTask, state: TaskState): Decision {
  const task = ownTask(state, command.user_id);
  if (!task) return err(notFound(command));
  if (task.status === 'open' && task.deleted_at === null) return ok([]);
  return ok([{ type: 'TaskReopened', data: { task_id: command.task_id, reopened_at: command.now } }]);
}

function deleteTask(command: DeleteTask, state: TaskState): Decision {
  const task = liveTask(state, command.user_id);
  if (!task) return err(notFound(command));
  return ok([{ type: 'TaskDeleted', data: { task_id: command.task_id, deleted_at: command.now } }]);
}

/** Another user's task is reported exactly as a missing one, so ids never reveal what exists. */
function ownTask(state: TaskState, userId: string): Task | null {
  return state.kind === 'present' && state.task.user_id === userId ? state.task : null;
}

function liveTask(state: TaskState, userId: string): Task | null {
  const task = ownTask(state, userId);
  return task && task.deleted_at === null ? task : null;
}

function notFound(command: TaskCommand): DomainError {
  return { code: 'not_found', task_id: command.task_id };
}

function validateSeries(series: CreateTask['series']): FieldError[] {
  if (series === undefined) return [];
  const errors: FieldError[] = [];
  if (series.series_id.trim() === '') errors.push({ path: 'series.series_id', message: 'must not be blank' });
  if (!Number.isSafeInteger(series.occurrence) || series.occurrence < 0) {
    errors.push({ path: 'series.occurrence', message: 'must be a whole number from 0' });
  }
  return errors;
}

/**
 * Only what a reader of the event would see as changed: equal JSON values are no change. Fields the
 * command did not mention are never reported, even if normalising rules have changed since they were stored.
 */
function changedFields(current: TaskFields, next: TaskFields, mentioned: readonly EditableField[]): Partial<TaskFields> {
  return someFields(mentioned, (field) => (jsonEqual(current[field], next[field]) ? undefined : next[field]));
}
