import { describe, expect, it } from 'vitest';
import { evolve, fold, initialState } from './evolve.ts';
import {
  CREATED_AT, LATER, MUCH_LATER, TASK_ID, USER, taskCompleted, taskCreated, taskDeleted, taskReopened, taskUpdated,
} from './testing/task-fixtures.ts';
import type { Task, TaskState, TaskUpdated } from './types.ts';

const createdTask: Task = {
  id: TASK_ID,
  user_id: USER,
  title: 'Buy milk',
  description: null,
  priority: 'none',
  tags: [],
  due: null,
  reminders: [],
  recurrence: null,
  estimate_minutes: null,
  status: 'open',
  series_id: null,
  occurrence: 0,
  created_at: CREATED_AT,
  updated_at: CREATED_AT,
  completed_at: null,
  deleted_at: null,
  version: 1,
};

const present = (task: Task): TaskState => ({ kind: 'present', task });

describe('evolve', () => {
  it('starts from nothing, at version 0', () => expect(initialState).toEqual({ kind: 'absent', version: 0 }));

  it('TaskCreated makes an open task at version 1, updated when it was created', () =>
    expect(fold([taskCreated()])).toEqual(present(createdTask)));

  it('TaskCreated carries the series of an occurrence', () =>
    expect(fold([taskCreated({}, { series_id: 's-1', occurrence: 2 })])).toEqual(present({ ...createdTask, series_id: 's-1', occurrence: 2 })));

  it('TaskUpdated merges the changed fields, leaves the others, and records when', () =>
    expect(fold([taskCreated({ description: 'semi-skimmed' }), taskUpdated({ title: 'Buy oat milk', tags: ['food'] }, MUCH_LATER)]))
      .toEqual(present({ ...createdTask, title: 'Buy oat milk', description: 'semi-skimmed', tags: ['food'], updated_at: MUCH_LATER, version: 2 })));

  it('TaskUpdated clears fields changed to null', () =>
    expect(fold([taskCreated({ due: { date: '2026-04-01' } }), taskUpdated({ due: null })]))
      .toEqual(present({ ...createdTask, due: null, updated_at: LATER, version: 2 })));

  it('TaskUpdated ignores keys that are not editable fields', () => {
    const changes = { title: 'Buy milk', user_id: 'mallory', status: 'completed', version: 99 };
    const sneaky: TaskUpdated = { type: 'TaskUpdated', data: { task_id: TASK_ID, changes, updated_at: LATER } };
    expect(fold([taskCreated(), sneaky])).toEqual(present({ ...createdTask, updated_at: LATER, version: 2 }));
  });

  it('TaskCompleted completes the task at that time', () =>
    expect(fold([taskCreated(), taskCompleted(LATER)]))
      .toEqual(present({ ...createdTask, status: 'completed', completed_at: LATER, updated_at: LATER, version: 2 })));

  it('TaskReopened opens it again and forgets the completion', () =>
    expect(fold([taskCreated(), taskCompleted(LATER), taskReopened(MUCH_LATER)]))
      .toEqual(present({ ...createdTask, updated_at: MUCH_LATER, version: 3 })));

  it('TaskDeleted marks the task deleted, keeping everything else', () =>
    expect(fold([taskCreated(), taskCompleted(LATER), taskDeleted(MUCH_LATER)]))
      .toEqual(present({ ...createdTask, status: 'completed', completed_at: LATER, deleted_at: MUCH_LATER, updated_at: MUCH_LATER, version: 3 })));

  it('TaskReopened restores a deleted task, open', () =>
    expect(fold([taskCreated(), taskCompleted(LATER), taskDeleted(LATER), taskReopened(MUCH_LATER)]))
      .toEqual(present({ ...createdTask, updated_at: MUCH_LATER, version: 4 })));

  it('counts one version per event', () => {
    const events = [taskCreated(), taskUpdated({ title: 'a' }), taskUpdated({ title: 'b' }), taskCompleted(), taskReopened(), taskDeleted()];
    events.forEach((_, index) => {
      const state = fold(events.slice(0, index + 1));
      expect(state.kind === 'present' && state.task.version).toBe(index + 1);
    });
  });

  it('leaves an absent task absent for any event but a creation', () => {
    for (const event of [taskUpdated({ title: 'x' }), taskCompleted(), taskReopened(), taskDeleted()]) {
      expect(evolve(initialState, event)).toEqual(initialState);
    }
  });

  it('ignores a second creation in a stream, counting it as a version', () =>
    expect(fold([taskCreated(), taskCreated({ title: 'Impostor' })])).toEqual(present({ ...createdTask, version: 2 })));

  it('never changes the state it is given', () => {
    const before = fold([taskCreated({ tags: ['a'] })]);
    const snapshot = structuredClone(before);
    evolve(before, taskUpdated({ tags: ['b'] }));
    evolve(before, taskCompleted());
    expect(before).toEqual(snapshot);
  });
});
