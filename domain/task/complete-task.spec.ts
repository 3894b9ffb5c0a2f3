import { describe, it } from 'vitest';
import { decide } from './decide.ts';
import { evolve, initialState } from './evolve.ts';
import { deciderSpec } from './testing/decider-spec.ts';
import { completeTask, OTHER_USER, TASK_ID, taskCompleted, taskCreated, taskDeleted, taskReopened } from './testing/task-fixtures.ts';

const spec = deciderSpec({ decide, evolve, initialState });

describe('CompleteTask', () => {
  it('completes an open task at the time of the command', () =>
    spec.given([taskCreated()]).when(completeTask({ now: '2026-03-05T12:00:00.000Z' })).then([taskCompleted('2026-03-05T12:00:00.000Z')]));

  it('changes nothing when the task is already completed', () =>
    spec.given([taskCreated(), taskCompleted()]).when(completeTask()).thenNothingHappened());

  it('completes a task again after it was reopened', () =>
    spec.given([taskCreated(), taskCompleted(), taskReopened()]).when(completeTask()).then([taskCompleted()]));

  it('cannot complete a task that does not exist', () =>
    spec.given([]).when(completeTask()).thenFails('not_found', { task_id: TASK_ID }));

  it("cannot complete another user's task, which looks exactly like a missing one", () =>
    spec.given([taskCreated()]).when(completeTask({ user_id: OTHER_USER })).thenFails('not_found', { task_id: TASK_ID }));

  it("says not_found for another user's completed task rather than nothing happened", () =>
    spec.given([taskCreated(), taskCompleted()]).when(completeTask({ user_id: OTHER_USER })).thenFails('not_found'));

  it('cannot complete a deleted task', () =>
    spec.given([taskCreated(), taskDeleted()]).when(completeTask()).thenFails('not_found'));
});
