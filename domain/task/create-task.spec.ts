import { describe, expect, it } from 'vitest';
import { decide } from './decide.ts';
import { evolve, initialState } from './evolve.ts';
import { deciderSpec } from './testing/decider-spec.ts';
import { createTask, taskCreated, taskDeleted, TASK_ID } from './testing/task-fixtures.ts';
import type { Due, TaskFields } from './types.ts';

const spec = deciderSpec({ decide, evolve, initialState });

const everything: TaskFields = {
  title: 'Pay rent',
  description: 'Transfer to the landlord',
  priority: 'high',
  tags: ['home', 'money'],
  due: { datetime: '2026-04-01T09:00', timezone: 'Europe/Berlin' },
  reminders: [{ before_minutes: 60, channels: ['email'] }, { at: '2026-03-31T18:00:00Z', channels: ['push', 'email'] }],
  recurrence: { rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', anchor: 'due' },
  estimate_minutes: 45,
};

describe('CreateTask', () => {
  it('creates an open task with defaults for every field not given', () =>
    spec.given([]).when(createTask()).then([taskCreated()]));

  it('records every field given', () =>
    spec.given([]).when(createTask(everything)).then([taskCreated(everything)]));

  it('stores the title trimmed', () =>
    spec.given([]).when(createTask({ title: '  Buy milk \n' })).then([taskCreated({ title: 'Buy milk' })]));

  it('stores tags trimmed, lower-cased, with duplicates collapsed in first-seen order', () =>
    spec.given([]).when(createTask({ tags: [' Work', 'HOME', 'work ', 'Home'] })).then([taskCreated({ tags: ['work', 'home'] })]));

  it('stores the rrule upper-cased and without the RRULE: prefix', () =>
    spec.given([]).when(createTask({ due: { date: '2026-04-01' }, recurrence: { rrule: 'rrule:freq=weekly;byday=mo', anchor: 'due' } }))
      .then([taskCreated({ due: { date: '2026-04-01' }, recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO', anchor: 'due' } })]));

  it('keeps only the known keys of nested values', () => {
    const due = { date: '2026-04-01', colour: 'red' };
    spec.given([]).when(createTask({ due })).then([taskCreated({ due: { date: '2026-04-01' } })]);
  });

  it('keeps explicit nulls as empty values', () =>
    spec.given([]).when(createTask({ description: null, due: null, recurrence: null })).then([taskCreated()]));

  it('records the series and occurrence of a recurring occurrence', () =>
    spec.given([]).when(createTask({}, { series: { series_id: 'series-1', occurrence: 3 } }))
      .then([taskCreated({}, { series_id: 'series-1', occurrence: 3 })]));

  it('takes its creation time from the command', () =>
    spec.given([]).when(createTask({}, { now: '2030-01-01T00:00:00.000Z' })).then([taskCreated({}, { created_at: '2030-01-01T00:00:00.000Z' })]));

  it('cannot create a task whose id already exists', () =>
    spec.given([taskCreated()]).when(createTask()).thenFails('already_exists', { task_id: TASK_ID }));

  it('cannot reuse the id of a deleted task', () =>
    spec.given([taskCreated(), taskDeleted()]).when(createTask()).thenFails('already_exists'));

  it('refuses a blank title', () =>
    spec.given([]).when(createTask({ title: '   ' })).thenFails('validation', { errors: [{ path: 'title', message: 'must not be blank' }] }));

  it('refuses a before_minutes reminder when there is no due date', () =>
    spec.given([]).when(createTask({ reminders: [{ before_minutes: 10, channels: ['push'] }] }))
      .thenFails('validation', { errors: [{ path: 'reminders[0].before_minutes', message: 'needs the task to have a due date' }] }));

  it('refuses a recurrence anchored on a due date that is not there', () =>
    spec.given([]).when(createTask({ recurrence: { rrule: 'FREQ=DAILY', anchor: 'due' } }))
      .thenFails('validation', { errors: [{ path: 'recurrence.anchor' }] }));

  it('accepts a recurrence anchored on completion without a due date', () =>
    spec.given([]).when(createTask({ recurrence: { rrule: 'FREQ=DAILY', anchor: 'completion' } }))
      .then([taskCreated({ recurrence: { rrule: 'FREQ=DAILY', anchor: 'completion' } })]));

  it('reports every invalid field at once, in field order', () =>
    spec.given([]).when(createTask({
      title: '',
      tags: Array.from({ length: 21 }, (_, index) => `tag-${index}`),
      due: { datetime: '2026-02-30T09:00', timezone: 'Mars/Olympus_Mons' },
      recurrence: { rrule: 'FREQ=SOMETIMES', anchor: 'due' },
    })).thenFails('validation', {
      errors: [{ path: 'title' }, { path: 'tags' }, { path: 'due.datetime' }, { path: 'due.timezone' }, { path: 'recurrence.rrule' }],
    }));

  it('refuses a series occurrence that is not a whole number from 0', () =>
    spec.given([]).when(createTask({}, { series: { series_id: 'series-1', occurrence: -1 } }))
      .thenFails('validation', { errors: [{ path: 'series.occurrence' }] }));

  it('emits an event that carries no undefined values', () => {
    const due: Due = { date: '2026-04-01' };
    const result = decide(createTask({ due, description: undefined }), initialState);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});
