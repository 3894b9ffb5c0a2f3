import { isValidDate, isValidLocalDateTime } from '../../time/iso-strings.ts';
import { isValidTimeZone } from '../../time/time-zone.ts';
import { dueInstants } from '../due-instant.ts';
import type { Due, FieldError } from '../types.ts';
import { isInstantTextInRange, OUT_OF_RANGE } from './instant-range.ts';

export function validateDue(due: Due | null): FieldError[] {
  if (due === null) return [];
  if ('date' in due) {
    if ('datetime' in due || 'timezone' in due) return [{ path: 'due', message: 'must be either {date} or {datetime, timezone}, not both' }];
    if (!isValidDate(due.date)) return [{ path: 'due.date', message: 'must be a real calendar date YYYY-MM-DD' }];
    return inRange(due, 'due.date');
  }
  const errors: FieldError[] = [];
  if (!isValidLocalDateTime(due.datetime)) {
    errors.push({ path: 'due.datetime', message: 'must be a real local date-time YYYY-MM-DDTHH:MM[:SS], without offset (the time zone goes in timezone)' });
  }
  if (!isValidTimeZone(due.timezone)) {
    errors.push({ path: 'due.timezone', message: 'must be an IANA time zone such as Europe/Berlin' });
  }
  return errors.length > 0 ? errors : inRange(due, 'due.datetime');
}

/** Both instants a due names — when it is, and when it becomes overdue — must be storable. */
function inRange(due: Due, path: string): FieldError[] {
  const { due_at, overdue_from } = dueInstants(due);
  return isInstantTextInRange(due_at) && isInstantTextInRange(overdue_from)
    ? []
    : [{ path, message: `${OUT_OF_RANGE}, as must the instant it becomes overdue` }];
}
