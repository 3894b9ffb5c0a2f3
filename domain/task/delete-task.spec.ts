import { describe, it } from 'vitest';
import { decide } from './decide.ts';
import { evolve, initialState } from './evolve.ts';
import { deciderSpec } from './testing/decider-spec.ts';
import { deleteTask, OTHER_USER, TASK_ID, taskCompleted, taskCreated, taskDeleted, taskReopened } from './testing/task-fixtures.ts';

const spec = deciderSpec({ decide, evolve, initialState });

describe('DeleteTask', () => {
  it('deletes an open task at the time of the command', () =>
    spec.given([taskCreated()]).when(deleteTask({ now: '2026-03-07T07:00:00.000Z' })).then([taskDeleted('2026-03-07T07:00:00.000Z')]));

  it('deletes a completed task', () =>
    spec.given([taskCreated(), taskCompleted()]).when(deleteTask()).then([taskDeleted()]));

  it('deletes a task restored after an earlier deletion', () =>
    spec.given([taskCreated(), taskDeleted(), taskReopened()]).when(deleteTask()).then([taskDeleted()]));

  it('cannot delete a task twice: the second time it is not found', () =>
    spec.given([taskCreated(), taskDeleted()]).when(deleteTask()).thenFails('not_found', { task_id: TASK_ID }));

  it('cannot delete a task that does not exist', () =>
    spec.given([]).when(deleteTask()).thenFails('not_found', { task_id: TASK_ID }));

  it("cannot delete another user's task, which looks exactly like a missing one", () =>
    spec.given([taskCreated()]).when(deleteTask({ user_id: OTHER_USER })).thenFails('not_found', { task_id: TASK_ID }));
});
