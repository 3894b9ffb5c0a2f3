import type { Recurrence } from '../api/types.ts';

/** The recurrence as the form edits it; turned into the RRULE subset the API takes (docs/architecture.md §6.2). */
export interface RepeatForm {
  readonly freq: 'none' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
  readonly interval: number;
  /** WEEKLY: the days, MO…SU. */
  readonly days: readonly Weekday[];
  /** MONTHLY: a day of the month, or the last day. */
  readonly monthDay: number | 'last';
  readonly anchor: 'due' | 'completion';
  readonly end: 'never' | 'until' | 'count';
  /** YYYY-MM-DD */
  readonly until: string;
  readonly count: number;
}

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const NO_REPEAT: RepeatForm = { freq: 'none', interval: 1, days: [], monthDay: 1, anchor: 'due', end: 'never', until: '', count: 5 };

export function toRecurrence(form: RepeatForm): Recurrence | null {
  if (form.freq === 'none') return null;
  const parts = [`FREQ=${form.freq}`];
  if (form.interval > 1) parts.push(`INTERVAL=${form.interval}`);
  if (form.freq === 'WEEKLY' && form.days.length > 0) parts.push(`BYDAY=${WEEKDAYS.filter((day) => form.days.includes(day)).join(',')}`);
  if (form.freq === 'MONTHLY') parts.push(`BYMONTHDAY=${form.monthDay === 'last' ? -1 : form.monthDay}`);
  if (form.end === 'until' && form.until) parts.push(`UNTIL=${form.until.replace(/-/g, '')}`);
  if (form.end === 'count') parts.push(`COUNT=${form.count}`);
  return { rrule: parts.join(';'), anchor: form.anchor };
}

const isWeekday = (value: string): value is Weekday => (WEEKDAYS as readonly string[]).includes(value);

/** The form for a recurrence the API holds; parts the form cannot show are kept out (the rule is shown as text). */
export function fromRecurrence(recurrence: Recurrence | null): RepeatForm {
  if (!recurrence) return NO_REPEAT;
  const parts = new Map(recurrence.rrule.split(';').map((part) => {
    const [key = '', value = ''] = part.split('=');
    return [key.toUpperCase(), value] as const;
  }));
  const freq = parts.get('FREQ');
  const until = parts.get('UNTIL');
  const count = parts.get('COUNT');
  const monthDay = Number(parts.get('BYMONTHDAY') ?? 1);
  return {
    freq: freq === 'DAILY' || freq === 'WEEKLY' || freq === 'MONTHLY' || freq === 'YEARLY' ? freq : 'none',
    interval: Number(parts.get('INTERVAL') ?? 1) || 1,
    days: (parts.get('BYDAY') ?? '').split(',').filter(isWeekday),
    monthDay: monthDay === -1 ? 'last' : monthDay,
    anchor: recurrence.anchor ?? 'due',
    end: until ? 'until' : count ? 'count' : 'never',
    until: until ? `${until.slice(0, 4)}-${until.slice(4, 6)}-${until.slice(6, 8)}` : '',
    count: Number(count ?? 5) || 5,
  };
}

const DAY_NAMES: Record<Weekday, number> = { MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6, SU: 0 };

/** The weekday's name in the browser's language (2024-01-07 was a Sunday). */
export const weekdayName = (day: Weekday, style: 'long' | 'short' = 'short'): string =>
  new Intl.DateTimeFormat(undefined, { weekday: style, timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 7 + DAY_NAMES[day])));
