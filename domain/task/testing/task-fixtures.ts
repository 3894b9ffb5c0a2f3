/**
 * Test support: one task's commands and events with readable defaults. Each builder takes only what a
 * spec is about; everything else is the plain task "Buy milk" owned by USER.
 */
import { EMPTY_FIELDS } from '../fields.ts';
import type {
  CompleteTask, CreateTask, DeleteTask, ReopenTask, TaskCompleted, TaskCreated, TaskDeleted, TaskFields, TaskReopened,
  TaskUpdated, UpdateTask,
} from '../types.ts';

export const TASK_ID = '5f0c6d1e-7a2b-4c3d-9e8f-0a1b2c3d4e5f';
export const USER = 'user-ada';
export const OTHER_USER = 'user-bob';

export const CREATED_AT = '2026-03-01T09:00:00.000Z';
export const LATER = '2026-03-02T09:00:00.000Z';
export const MUCH_LATER = '2026-03-03T09:00:00.000Z';

export const defaultFields: TaskFields = { ...EMPTY_FIELDS, title: 'Buy milk' };

export function createTask(fields: Partial<CreateTask['fields']> = {}, rest: Partial<Omit<CreateTask, 'type' | 'fields'>> = {}): CreateTask {
  return { type: 'CreateTask', task_id: TASK_ID, user_id: USER, now: CREATED_AT, fields: { title: 'Buy milk', ...fields }, ...rest };
}

export function updateTask(changes: Partial<TaskFields>, rest: Partial<Omit<UpdateTask, 'type' | 'changes'>> = {}): UpdateTask {
  return { type: 'UpdateTask', task_id: TASK_ID, user_id: USER, now: LATER, changes, ...rest };
}

export function completeTask(rest: Partial<Omit<CompleteTask, 'type'>> = {}): CompleteTask {
  return { type: 'CompleteTask', task_id: TASK_ID, user_id: USER, now: LATER, ...rest };
}

export function reopenTask(rest: Partial<Omit<ReopenTask, 'type'>> = {}): ReopenTask {
  return { type: 'ReopenTask', task_id: TASK_ID, user_id: USER, now: MUCH_LATER, ...rest };
}

export function deleteTask(rest: Partial<Omit<DeleteTask, 'type'>> = {}): DeleteTask {
  return { type: 'DeleteTask', task_id: TASK_ID, user_id: USER, now: LATER, ...rest };
}

export function taskCreated(fields: Partial<TaskFields> = {}, rest: Partial<Omit<TaskCreated['data'], keyof TaskFields>> = {}): TaskCreated {
  return {
    type: 'TaskCreated',
    data: {
      task_id: TASK_ID, user_id: USER, ...defaultFields, ...fields, series_id: null, occurrence: 0, created_at: CREATED_AT, ...rest,
    },
  };
}

export function taskUpdated(changes: Partial<TaskFields>, updated_at = LATER): TaskUpdated {
  return { type: 'TaskUpdated', data: { task_id: TASK_ID, changes, updated_at } };
}

export function taskCompleted(completed_at = LATER): TaskCompleted {
  return { type: 'TaskCompleted', data: { task_id: TASK_ID, completed_at } };
}

export function taskReopened(reopened_at = MUCH_LATER): TaskReopened {
  return { type: 'TaskReopened', data: { task_id: TASK_ID, reopened_at } };
}

export function taskDeleted(deleted_at = LATER): TaskDeleted {
  return { type: 'TaskDeleted', data: { task_id: TASK_ID, deleted_at } };
}
