import { describe, it } from 'vitest';
import { decide } from './decide.ts';
import { evolve, initialState } from './evolve.ts';
import { deciderSpec } from './testing/decider-spec.ts';
import { OTHER_USER, reopenTask, TASK_ID, taskCompleted, taskCreated, taskDeleted, taskReopened } from './testing/task-fixtures.ts';

const spec = deciderSpec({ decide, evolve, initialState });

describe('ReopenTask', () => {
  it('reopens a completed task at the time of the command', () =>
    spec.given([taskCreated(), taskCompleted()]).when(reopenTask({ now: '2026-03-09T08:00:00.000Z' })).then([taskReopened('2026-03-09T08:00:00.000Z')]));

  it('changes nothing when the task is open', () =>
    spec.given([taskCreated()]).when(reopenTask()).thenNothingHappened());

  it('changes nothing when the task was already reopened', () =>
    spec.given([taskCreated(), taskCompleted(), taskReopened()]).when(reopenTask()).thenNothingHappened());

  it('restores a deleted open task', () =>
    spec.given([taskCreated(), taskDeleted()]).when(reopenTask()).then([taskReopened()]));

  it('restores a deleted completed task, open again', () =>
    spec.given([taskCreated(), taskCompleted(), taskDeleted()]).when(reopenTask()).then([taskReopened()]));

  it('cannot reopen a task that does not exist', () =>
    spec.given([]).when(reopenTask()).thenFails('not_found', { task_id: TASK_ID }));

  it("cannot reopen another user's task, which looks exactly like a missing one", () => {
    spec.given([taskCreated(), taskCompleted()]).when(reopenTask({ user_id: OTHER_USER })).thenFails('not_found', { task_id: TASK_ID });
    spec.given([taskCreated()]).when(reopenTask({ user_id: OTHER_USER })).thenFails('not_found');
    spec.given([taskCreated(), taskDeleted()]).when(reopenTask({ user_id: OTHER_USER })).thenFails('not_found');
  });
});
