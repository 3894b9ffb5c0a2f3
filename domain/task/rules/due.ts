import { isValidDate, isValidLocalDateTime } from '../../time/iso-strings.ts';
import { isValidTimeZone } from '../../time/time-zone.ts';
import type { Due, FieldError } from '../types.ts';

export function validateDue(due: Due | null): FieldError[] {
  if (due === null) return [];
  if ('date' in due) {
    if ('datetime' in due || 'timezone' in due) return [{ path: 'due', message: 'must be either {date} or {datetime, timezone}, not both' }];
    return isValidDate(due.date) ? [] : [{ path: 'due.date', message: 'must be a real calendar date YYYY-MM-DD' }];
  }
  const errors: FieldError[] = [];
  if (!isValidLocalDateTime(due.datetime)) {
    errors.push({ path: 'due.datetime', message: 'must be a real local date-time YYYY-MM-DDTHH:MM[:SS], without offset (the time zone goes in timezone)' });
  }
  if (!isValidTimeZone(due.timezone)) {
    errors.push({ path: 'due.timezone', message: 'must be an IANA time zone such as Europe/Berlin' });
  }
  return errors;
}
