import { describe, expect, it } from 'vitest';
import type { ScheduledReminder } from '../../../contracts/read-models/notification-schedule.ts';
import type { Task } from '../../../domain/task/types.ts';
import { planSchedule } from './plan-schedule.ts';

const base: Task = {
  id: '5f0c6d1e-7a2b-4c3d-9e8f-0a1b2c3d4e5f', user_id: 'ada', title: 'Dentist', description: null, priority: 'none', tags: [],
  due: { datetime: '2026-06-10T10:00', timezone: 'UTC' },
  reminders: [{ before_minutes: 60, channels: ['email'] }],
  recurrence: null, estimate_minutes: null, status: 'open', series_id: null, occurrence: 0,
  created_at: '2026-06-01T00:00:00.000Z', updated_at: '2026-06-01T00:00:00.000Z', completed_at: null, deleted_at: null, version: 1,
};
const facts = (version: number) => ({ version, position: version * 10, email: 'ada@example.com' });
const at = (iso: string, patch: Partial<Task> = {}): Task => ({ ...base, ...patch, updated_at: iso });
const states = (rows: readonly ScheduledReminder[]) => rows.map((r) => [r.reminder_index, r.fire_at, r.state]);

describe('planning a task\'s reminders', () => {
  it('arms one row per reminder at its fire time', () => {
    const rows = planSchedule([], base, facts(1));
    expect(states(rows)).toEqual([[0, '2026-06-10T09:00:00.000Z', 'armed']]);
    expect(rows[0]).toMatchObject({ user_id: 'ada', email: 'ada@example.com', title: 'Dentist', channels: ['email'], version: 1, position: 10 });
  });

  it('never arms a reminder whose time had passed when it was set', () => {
    const rows = planSchedule([], at('2026-06-10T09:30:00.000Z'), facts(1));
    expect(states(rows)).toEqual([[0, '2026-06-10T09:00:00.000Z', 'past']]);
  });

  it('cancels armed reminders when the task is completed or deleted', () => {
    const armed = planSchedule([], base, facts(1));
    expect(states(planSchedule(armed, at('2026-06-05T00:00:00.000Z', { status: 'completed' }), facts(2)))).toEqual([[0, '2026-06-10T09:00:00.000Z', 'cancelled']]);
    expect(states(planSchedule(armed, at('2026-06-05T00:00:00.000Z', { deleted_at: '2026-06-05T00:00:00.000Z' }), facts(2))))
      .toEqual([[0, '2026-06-10T09:00:00.000Z', 'cancelled']]);
  });

  it('re-arms on reopen while the fire time is still ahead, and not after it', () => {
    const cancelled = planSchedule(planSchedule([], base, facts(1)), at('2026-06-05T00:00:00.000Z', { status: 'completed' }), facts(2));
    expect(states(planSchedule(cancelled, at('2026-06-06T00:00:00.000Z'), facts(3)))).toEqual([[0, '2026-06-10T09:00:00.000Z', 'armed']]);
    expect(states(planSchedule(cancelled, at('2026-06-11T00:00:00.000Z'), facts(3)))).toEqual([[0, '2026-06-10T09:00:00.000Z', 'cancelled']]);
  });

  it('supersedes the old fire time and arms the new one when the due moves', () => {
    const armed = planSchedule([], base, facts(1));
    const moved = planSchedule(armed, at('2026-06-02T00:00:00.000Z', { due: { datetime: '2026-06-12T10:00', timezone: 'UTC' } }), facts(2));
    expect(states(moved)).toEqual([[0, '2026-06-10T09:00:00.000Z', 'superseded'], [0, '2026-06-12T09:00:00.000Z', 'armed']]);
    const back = planSchedule(moved, at('2026-06-03T00:00:00.000Z'), facts(3));
    expect(states(back)).toEqual([[0, '2026-06-12T09:00:00.000Z', 'superseded'], [0, '2026-06-10T09:00:00.000Z', 'armed']]);
  });

  it('keeps a due reminder armed through an unrelated edit made after its time (it is still owed after downtime)', () => {
    const armed = planSchedule([], base, facts(1));
    const edited = planSchedule(armed, at('2026-06-10T09:05:00.000Z', { title: 'Dentist, bring card' }), facts(2));
    expect(states(edited)).toEqual([[0, '2026-06-10T09:00:00.000Z', 'armed']]);
    expect(edited[0]).toMatchObject({ title: 'Dentist, bring card', version: 2 });
  });

  it('supersedes every row when the reminders are cleared', () => {
    const armed = planSchedule([], at('2026-06-01T00:00:00.000Z', { reminders: [{ before_minutes: 60, channels: ['email'] }, { at: '2026-06-09T08:00:00Z', channels: ['push'] }] }), facts(1));
    expect(states(planSchedule(armed, at('2026-06-02T00:00:00.000Z', { reminders: [] }), facts(2))))
      .toEqual([[0, '2026-06-10T09:00:00.000Z', 'superseded'], [1, '2026-06-09T08:00:00.000Z', 'superseded']]);
  });
});
