import type { ScheduledReminder, ScheduleState } from '../../../contracts/read-models/notification-schedule.ts';
import { reminderTimes } from '../../../domain/task/reminder-times.ts';
import type { Task } from '../../../domain/task/types.ts';
import { EARLIEST_INSTANT, LATEST_INSTANT } from '../../../domain/task/limits.ts';

/** What a row records about the event that last touched it. */
export interface EventFacts {
  readonly version: number;
  readonly position: number;
  readonly email: string | null;
}

const keyOf = (index: number, fireAt: string) => `${index}|${fireAt}`;

const storable = (fireAt: string): boolean => {
  const at = Date.parse(fireAt);
  return at >= Date.parse(EARLIEST_INSTANT) && at <= Date.parse(LATEST_INSTANT);
};

/**
 * A task's schedule after one of its events, given its rows before it. The task's `updated_at` is the
 * event's time. Rows are not dropped — a row that no longer applies changes state — so that a reminder
 * that was sent stays listed, and so that a fire time already past is never armed afresh by an unrelated
 * edit: a new or re-armed row is armed only when it lies after the event; an armed row stays armed.
 */
export function planSchedule(rows: readonly ScheduledReminder[], task: Task, facts: EventFacts): ScheduledReminder[] {
  const at = Date.parse(task.updated_at);
  const live = task.status === 'open' && task.deleted_at === null;
  const wanted = live ? reminderTimes(task.reminders, task.due) : [];
  const wantedKeys = new Set(wanted.map((time) => keyOf(time.index, time.fire_at)));
  const existing = new Map(rows.map((row) => [keyOf(row.reminder_index, row.fire_at), row]));
  const common = { user_id: task.user_id, title: task.title, due: task.due, ...facts };

  const planned: ScheduledReminder[] = [];
  for (const row of rows) {
    if (wantedKeys.has(keyOf(row.reminder_index, row.fire_at))) continue;
    // A fire time outside the span of instants (an old event's) was never stored and never fires: once it no
    // longer applies it is dropped, or the task could not be stored again even after its owner fixed it.
    if (!storable(row.fire_at)) continue;
    const state: ScheduleState = row.state !== 'armed' ? row.state : live ? 'superseded' : 'cancelled';
    planned.push({ ...row, ...common, state });
  }
  for (const time of wanted) {
    const row = existing.get(keyOf(time.index, time.fire_at));
    const state: ScheduleState = row?.state === 'armed' || Date.parse(time.fire_at) > at ? 'armed' : row?.state ?? 'past';
    planned.push({
      task_id: task.id, reminder_index: time.index, fire_at: time.fire_at, channels: time.channels, reminder: time.reminder,
      ...common, state,
    });
  }
  return planned;
}
