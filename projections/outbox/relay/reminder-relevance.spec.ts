import { describe, expect, it } from 'vitest';
import { evolve, initialState } from '../../../domain/task/evolve.ts';
import type { Reminder, TaskEvent } from '../../../domain/task/types.ts';
import { changesReminders } from './reminder-relevance.ts';

const taskId = '0b7c8a52-6f1e-4d7b-9a3c-2f5e1d9c8b7a';
const created = (reminders: readonly Reminder[]) => evolve(initialState, {
  type: 'TaskCreated',
  data: {
    task_id: taskId, user_id: 'alice', title: 'Write', description: null, priority: 'none', tags: [],
    due: { date: '2026-12-01' }, reminders, recurrence: null, estimate_minutes: null, series_id: null, occurrence: 0, created_at: '2026-11-27T10:00:00Z',
  },
});
const withReminders = created([{ before_minutes: 30, channels: ['email'] }]);
const without = created([]);
const updated = (changes: Record<string, unknown>): TaskEvent => ({ type: 'TaskUpdated', data: { task_id: taskId, changes, updated_at: '2026-11-27T10:00:00Z' } });

describe('which events go to the reminders topic', () => {
  it('an update that touches reminders or the due date, whatever the task has now', () => {
    expect(changesReminders(updated({ reminders: [] }), without)).toBe(true);
    expect(changesReminders(updated({ due: null }), without)).toBe(true);
    expect(changesReminders(updated({ title: 'x' }), withReminders)).toBe(false);
  });

  it('completing, reopening or deleting only a task that has reminders', () => {
    const completed: TaskEvent = { type: 'TaskCompleted', data: { task_id: taskId, completed_at: '2026-11-27T10:00:00Z' } };
    const deleted: TaskEvent = { type: 'TaskDeleted', data: { task_id: taskId, deleted_at: '2026-11-27T10:00:00Z' } };
    expect(changesReminders(completed, withReminders)).toBe(true);
    expect(changesReminders(deleted, withReminders)).toBe(true);
    expect(changesReminders(completed, without)).toBe(false);
  });
});
