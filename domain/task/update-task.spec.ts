import { describe, it } from 'vitest';
import { decide } from './decide.ts';
import { evolve, initialState } from './evolve.ts';
import { deciderSpec } from './testing/decider-spec.ts';
import { OTHER_USER, TASK_ID, taskCompleted, taskCreated, taskDeleted, taskReopened, taskUpdated, updateTask } from './testing/task-fixtures.ts';

const spec = deciderSpec({ decide, evolve, initialState });

const withDue = taskCreated({
  due: { datetime: '2026-04-01T09:00', timezone: 'Europe/Berlin' },
  reminders: [{ before_minutes: 30, channels: ['email'] }],
  recurrence: { rrule: 'FREQ=WEEKLY', anchor: 'due' },
  tags: ['work'],
});

describe('UpdateTask', () => {
  it('records the changed field with the time of the change', () =>
    spec.given([taskCreated()]).when(updateTask({ title: 'Buy oat milk' })).then([taskUpdated({ title: 'Buy oat milk' })]));

  it('carries only the fields whose value actually changes', () =>
    spec.given([taskCreated()]).when(updateTask({ title: 'Buy milk', priority: 'high', description: null }))
      .then([taskUpdated({ priority: 'high' })]));

  it('changes nothing when every value is already the current one', () =>
    spec.given([withDue]).when(updateTask({ title: 'Buy milk', tags: ['work'], due: { timezone: 'Europe/Berlin', datetime: '2026-04-01T09:00' } }))
      .thenNothingHappened());

  it('compares after normalising: a differently spelled equal value is no change', () =>
    spec.given([withDue]).when(updateTask({ title: ' Buy milk ', tags: [' WORK', 'work'], recurrence: { rrule: 'rrule:freq=weekly', anchor: 'due' } }))
      .thenNothingHappened());

  it('never reports a field the command did not mention, even one stored in an older spelling', () =>
    spec.given([taskCreated({ tags: ['Legacy'], recurrence: { rrule: 'rrule:freq=daily', anchor: 'completion' } })])
      .when(updateTask({ priority: 'urgent' })).then([taskUpdated({ priority: 'urgent' })]));

  it('changes nothing for an empty change set', () =>
    spec.given([taskCreated()]).when(updateTask({})).thenNothingHappened());

  it('treats a field set to undefined as not given', () =>
    spec.given([taskCreated()]).when(updateTask({ title: undefined })).thenNothingHappened());

  it('records normalised values', () =>
    spec.given([taskCreated()]).when(updateTask({ title: '  Buy bread ', tags: ['Bakery', ' bakery ', 'Food'] }))
      .then([taskUpdated({ title: 'Buy bread', tags: ['bakery', 'food'] })]));

  it('clears a field set to null', () =>
    spec.given([taskCreated({ description: 'semi-skimmed' })]).when(updateTask({ description: null }))
      .then([taskUpdated({ description: null })]));

  it('replaces lists as a whole', () =>
    spec.given([withDue]).when(updateTask({ reminders: [{ at: '2026-03-31T08:00:00Z', channels: ['push'] }] }))
      .then([taskUpdated({ reminders: [{ at: '2026-03-31T08:00:00Z', channels: ['push'] }] })]));

  it('may edit a completed task', () =>
    spec.given([taskCreated(), taskCompleted()]).when(updateTask({ priority: 'low' })).then([taskUpdated({ priority: 'low' })]));

  it('may edit a task reopened after deletion', () =>
    spec.given([taskCreated(), taskDeleted(), taskReopened()]).when(updateTask({ priority: 'low' })).then([taskUpdated({ priority: 'low' })]));

  it('cannot update a task that does not exist', () =>
    spec.given([]).when(updateTask({ title: 'x' })).thenFails('not_found', { task_id: TASK_ID }));

  it("cannot update another user's task, which looks exactly like a missing one", () =>
    spec.given([taskCreated()]).when(updateTask({ title: 'x' }, { user_id: OTHER_USER })).thenFails('not_found', { task_id: TASK_ID }));

  it("says not_found for another user's task even when the change is invalid or empty", () => {
    spec.given([taskCreated()]).when(updateTask({ title: '' }, { user_id: OTHER_USER })).thenFails('not_found');
    spec.given([taskCreated()]).when(updateTask({}, { user_id: OTHER_USER })).thenFails('not_found');
  });

  it('cannot update a deleted task', () =>
    spec.given([taskCreated(), taskDeleted()]).when(updateTask({ title: 'x' })).thenFails('not_found'));

  it('refuses an invalid value', () =>
    spec.given([taskCreated()]).when(updateTask({ title: 'x'.repeat(201) }))
      .thenFails('validation', { errors: [{ path: 'title', message: 'must be at most 200 characters (got 201)' }] }));

  it('refuses clearing the due date under reminders and a recurrence that need it', () =>
    spec.given([withDue]).when(updateTask({ due: null }))
      .thenFails('validation', { errors: [{ path: 'reminders[0].before_minutes' }, { path: 'recurrence.anchor' }] }));

  it('accepts clearing the due date together with what depends on it', () =>
    spec.given([withDue]).when(updateTask({ due: null, reminders: [], recurrence: null }))
      .then([taskUpdated({ due: null, reminders: [], recurrence: null })]));

  it('refuses a before_minutes reminder on a task without a due date', () =>
    spec.given([taskCreated()]).when(updateTask({ reminders: [{ before_minutes: 5, channels: ['push'] }] }))
      .thenFails('validation', { errors: [{ path: 'reminders[0].before_minutes' }] }));

  it('accepts a before_minutes reminder once the task has a due date', () =>
    spec.given([taskCreated(), taskUpdated({ due: { date: '2026-04-01' } })])
      .when(updateTask({ reminders: [{ before_minutes: 5, channels: ['push'] }] }))
      .then([taskUpdated({ reminders: [{ before_minutes: 5, channels: ['push'] }] })]));

  it('points tag errors at the tags as sent', () =>
    spec.given([taskCreated()]).when(updateTask({ tags: ['ok', 'ok', '  '] }))
      .thenFails('validation', { errors: [{ path: 'tags[2]', message: 'must not be blank' }] }));
});
