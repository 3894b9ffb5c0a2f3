import { addDays } from '../time/calendar.ts';
import { formatDate, parseDate } from '../time/iso-strings.ts';
import { zonedToInstant } from '../time/time-zone.ts';
import type { Due } from './types.ts';

/*
 * A date-only due has no zone, so its instants are taken in UTC: it sorts at the start of its day and is
 * overdue from the start of the next one. A date-time due is its instant in its own zone.
 */

/** The instant a due sorts and filters by. */
export function dueInstant(due: Due): string {
  return 'date' in due ? `${due.date}T00:00:00.000Z` : zonedToInstant(due.datetime, due.timezone);
}

/** From this instant on, an open task with this due is overdue. */
export function overdueFrom(due: Due): string {
  if (!('date' in due)) return zonedToInstant(due.datetime, due.timezone);
  const day = parseDate(due.date);
  if (!day) throw new RangeError(`invalid date ${due.date}`);
  return `${formatDate(addDays(day, 1))}T00:00:00.000Z`;
}

/** Both instants at once: a date-time due converts its zone once, not once per instant. */
export function dueInstants(due: Due): { readonly due_at: string; readonly overdue_from: string } {
  if ('date' in due) return { due_at: dueInstant(due), overdue_from: overdueFrom(due) };
  const at = zonedToInstant(due.datetime, due.timezone);
  return { due_at: at, overdue_from: at };
}
