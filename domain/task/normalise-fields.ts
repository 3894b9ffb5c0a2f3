import { normaliseRRule } from '../recurrence/rrule.ts';
import { normaliseTags } from './rules/tags.ts';
import type { Due, Recurrence, Reminder, TaskFields } from './types.ts';

/**
 * The stored form of a field set: title trimmed, tags normalised, rrule in its stored spelling, and the
 * nested objects rebuilt from their known keys only, so stray keys never reach an event and two field
 * sets that mean the same thing compare equal.
 */
export function normaliseFields(fields: TaskFields): TaskFields {
  return {
    title: fields.title.trim(),
    description: fields.description,
    priority: fields.priority,
    tags: normaliseTags(fields.tags),
    due: fields.due === null ? null : normaliseDue(fields.due),
    reminders: fields.reminders.map(normaliseReminder),
    recurrence: fields.recurrence === null ? null : normaliseRecurrence(fields.recurrence),
  };
}

function normaliseDue(due: Due): Due {
  return 'date' in due ? { date: due.date } : { datetime: due.datetime, timezone: due.timezone };
}

function normaliseReminder(reminder: Reminder): Reminder {
  const channels = [...reminder.channels];
  return 'before_minutes' in reminder ? { before_minutes: reminder.before_minutes, channels } : { at: reminder.at, channels };
}

function normaliseRecurrence(recurrence: Recurrence): Recurrence {
  return { rrule: normaliseRRule(recurrence.rrule), anchor: recurrence.anchor };
}
