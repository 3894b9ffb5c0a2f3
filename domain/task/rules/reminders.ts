import { isValidInstant } from '../../time/iso-strings.ts';
import { reminderTimes } from '../reminder-times.ts';
import { validateDue } from './due.ts';
import { isInstantTextInRange, OUT_OF_RANGE } from './instant-range.ts';
import { CHANNELS } from '../types.ts';
import type { Channel, Due, FieldError, Reminder } from '../types.ts';
import { MAX_BEFORE_MINUTES, MAX_REMINDERS } from '../limits.ts';

/** Needs the due date because a `before_minutes` reminder is relative to it. */
export function validateReminders(reminders: readonly Reminder[], due: Due | null): FieldError[] {
  const errors: FieldError[] = [];
  if (reminders.length > MAX_REMINDERS) {
    errors.push({ path: 'reminders', message: `must hold at most ${MAX_REMINDERS} reminders (got ${reminders.length})` });
  }
  reminders.forEach((reminder, index) => errors.push(...validateReminder(reminder, `reminders[${index}]`, due)));
  return errors;
}

function validateReminder(reminder: Reminder, path: string, due: Due | null): FieldError[] {
  const errors: FieldError[] = [];
  if ('before_minutes' in reminder) {
    if ('at' in reminder) errors.push({ path, message: 'must have either before_minutes or at, not both' });
    const minutes = reminder.before_minutes;
    if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_BEFORE_MINUTES) {
      errors.push({ path: `${path}.before_minutes`, message: `must be a whole number of minutes from 0 to ${MAX_BEFORE_MINUTES}` });
    }
    if (due === null) errors.push({ path: `${path}.before_minutes`, message: 'needs the task to have a due date' });
  } else if (!isValidInstant(reminder.at)) {
    errors.push({ path: `${path}.at`, message: 'must be an RFC 3339 instant with Z or an offset, such as 2026-03-08T09:00:00Z' });
  }
  if (errors.length === 0) errors.push(...fireTimeInRange(reminder, path, due));
  return [...errors, ...validateChannels(reminder.channels, `${path}.channels`)];
}

function validateChannels(channels: readonly Channel[], path: string): FieldError[] {
  if (channels.length === 0) return [{ path, message: `must name at least one channel (${CHANNELS.join(', ')})` }];
  const errors: FieldError[] = [];
  channels.forEach((channel, index) => {
    if (!CHANNELS.includes(channel)) errors.push({ path: `${path}[${index}]`, message: `must be one of ${CHANNELS.join(', ')}` });
    else if (channels.indexOf(channel) !== index) errors.push({ path: `${path}[${index}]`, message: `lists "${channel}" more than once` });
  });
  return errors;
}

/** Judged only on an otherwise valid reminder; a relative one against a due that is itself in range. */
function fireTimeInRange(reminder: Reminder, path: string, due: Due | null): FieldError[] {
  const field = 'at' in reminder ? `${path}.at` : `${path}.before_minutes`;
  // A relative reminder against an invalid due has no fire time: the due's own error says why.
  if (!('at' in reminder) && (due === null || validateDue(due).length > 0)) return [];
  const [time] = reminderTimes([reminder], due);
  if (time === undefined) return [];
  return isInstantTextInRange(time.fire_at) ? [] : [{ path: field, message: `must fire at an instant that ${OUT_OF_RANGE.replace('must lie', 'lies')}` }];
}
