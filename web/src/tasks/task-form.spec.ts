import { describe, expect, it } from 'vitest';
import type { Task } from '../api/types.ts';
import { changes, formOf, scheduleOf } from './task-form.ts';

const TASK: Task = {
  id: '0b8f6a51-8e7c-4c5e-9a43-0d1f4b3f1e11', title: 'Plan the week', description: null, priority: 'high', tags: ['work'],
  due: { datetime: '2030-01-07T09:00:00', timezone: 'Europe/Berlin' },
  reminders: [{ channels: ['email'], before_minutes: 15 }],
  recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO', anchor: 'due' }, estimate_minutes: 45,
  status: 'open', series_id: null, created_at: '2026-12-01T10:00:00Z', updated_at: '2026-12-01T10:00:00Z', completed_at: null, version: 2,
};

describe('the edit form', () => {
  it('changes nothing when nothing was edited, whatever the order of the server\'s keys', () => {
    expect(changes(TASK, formOf(TASK))).toEqual({});
  });

  it('sends only the fields edited, and null for one cleared', () => {
    const form = formOf(TASK);
    expect(changes(TASK, { ...form, title: ' Plan the month ', tags: 'Work, home, work', dueKind: 'none' }))
      .toEqual({ title: 'Plan the month', tags: ['work', 'home'], due: null });
    expect(changes(TASK, { ...form, reminders: [], repeat: { ...form.repeat, freq: 'none' } })).toEqual({ reminders: [], recurrence: null });
    expect(changes(TASK, { ...form, dueDate: '2030-02-01', dueKind: 'date' })).toEqual({ due: { date: '2030-02-01' } });
  });
});

describe('the estimate in the edit form', () => {
  it('is sent when changed, and null when emptied', () => {
    const form = formOf(TASK);
    expect(form.estimate).toBe('45');
    expect(changes(TASK, { ...form, estimate: '90' })).toEqual({ estimate_minutes: 90 });
    expect(changes(TASK, { ...form, estimate: '' })).toEqual({ estimate_minutes: null });
    expect(changes(TASK, form)).toEqual({});
  });
});

describe('the schedule the edit form previews', () => {
  it('is the rule, anchor and due the form would save, unsaved edits included; none when it does not repeat', () => {
    const form = formOf(TASK);
    expect(scheduleOf(form)).toEqual({ rrule: 'FREQ=WEEKLY;BYDAY=MO', anchor: 'due', due_datetime: '2030-01-07T09:00', due_timezone: 'Europe/Berlin' });
    expect(scheduleOf({ ...form, dueKind: 'date', dueDate: '2030-02-01', repeat: { ...form.repeat, anchor: 'completion' } }))
      .toEqual({ rrule: 'FREQ=WEEKLY;BYDAY=MO', anchor: 'completion', due_date: '2030-02-01' });
    expect(scheduleOf({ ...form, dueKind: 'none' })).toEqual({ rrule: 'FREQ=WEEKLY;BYDAY=MO', anchor: 'due' });
    expect(scheduleOf({ ...form, repeat: { ...form.repeat, freq: 'none' } })).toBeNull();
  });
});
