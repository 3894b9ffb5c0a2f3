import type { Due, Reminder } from '../api/types.ts';

/** Dates and times in the browser's locale. */
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const instantFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** A wall-clock date-time read as if in UTC, to format its fields as they are. */
const wallClock = (value: string) => new Date(`${value.length === 16 ? `${value}:00` : value}Z`);

export function formatDue(due: Due | null): string {
  if (!due) return '';
  if ('date' in due) return dateFormat.format(wallClock(`${due.date}T00:00`));
  const text = dateTimeFormat.format(wallClock(due.datetime));
  return due.timezone === browserTimeZone() ? text : `${text} (${due.timezone})`;
}

export const formatInstant = (iso: string): string => instantFormat.format(new Date(iso));

export function formatReminder(reminder: Reminder): string {
  const channels = (reminder.channels ?? ['email']).join(' + ');
  if ('at' in reminder) return `at ${formatInstant(reminder.at)} by ${channels}`;
  const minutes = reminder.before_minutes;
  const amount = minutes % 1440 === 0 && minutes > 0 ? `${minutes / 1440} d` : minutes % 60 === 0 && minutes > 0 ? `${minutes / 60} h` : `${minutes} min`;
  return `${amount} before by ${channels}`;
}

/** A Date as the value of an <input type="datetime-local"> in the browser's zone. */
export function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Whether a task with this due is overdue now (a date-only due: from the next UTC day). */
export function isOverdue(due: Due | null, dueAt: (due: Due) => number | null = dueInstant): boolean {
  if (!due) return false;
  const at = dueAt(due);
  return at !== null && at < Date.now();
}

/** The due's instant in ms, when the browser can compute it (date-only: the end of its UTC day). */
export function dueInstant(due: Due): number | null {
  if ('date' in due) return Date.parse(`${due.date}T00:00:00Z`) + 86_400_000;
  const wall = wallClock(due.datetime).getTime();
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: due.timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(wall));
    const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
    const asIfUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return wall - (asIfUtc - wall);
  } catch {
    return null;
  }
}
