import { formatInstant, parseInstant } from '../time/iso-strings.ts';
import { dueInstant } from './due-instant.ts';
import type { Channel, Due, Reminder } from './types.ts';

/** When one of a task's reminders fires, identified by its place in the task's list. */
export interface ReminderTime {
  readonly index: number;
  /** UTC instant with milliseconds (`toISOString` spelling), so equal instants are equal strings. */
  readonly fire_at: string;
  readonly channels: readonly Channel[];
  readonly reminder: Reminder;
}

/**
 * The fire time of each reminder: `at` as given, or the due instant (see `dueInstant`: a date-only due
 * counts from 00:00 UTC) minus `before_minutes`. A relative reminder without a due has no time; the
 * decider never lets one be stored, and an old stream that has one simply fires nothing for it.
 */
export function reminderTimes(reminders: readonly Reminder[], due: Due | null): ReminderTime[] {
  const times: ReminderTime[] = [];
  reminders.forEach((reminder, index) => {
    const millis = 'at' in reminder ? parseInstant(reminder.at) : relativeTo(due, reminder.before_minutes);
    if (millis !== null) times.push({ index, fire_at: formatInstant(millis), channels: reminder.channels, reminder });
  });
  return times;
}

function relativeTo(due: Due | null, beforeMinutes: number): number | null {
  if (due === null) return null;
  const at = parseInstant(dueInstant(due));
  return at === null ? null : at - beforeMinutes * 60_000;
}
