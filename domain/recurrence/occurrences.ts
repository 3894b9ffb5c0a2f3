/**
 * The dates a parsed rule produces, computed in wall-clock time: a series at 09:00 stays at 09:00 across
 * DST switches, because occurrences are calendar readings, converted to instants (`zonedToInstant`) only
 * when something has to fire. Fixed-length arithmetic (adding 86 400 s) is what moves midnight tasks to
 * the previous day twice a year; it is never used here.
 */
import { MILLIS_PER_DAY, civilFromEpochDay, daysInMonth, daysInYear, epochDay, isoWeekday, wallClockMillis } from '../time/calendar.ts';
import type { CivilDate, CivilDateTime } from '../time/calendar.ts';
import { formatDate, formatLocalDateTime, parseDate, parseInstant, parseLocalDateTime } from '../time/iso-strings.ts';
import { epochMillisToZoned, zonedToEpochMillis } from '../time/time-zone.ts';
import { assertNever } from '../common/result.ts';
import { WEEKDAY_CODES } from './rrule.ts';
import type { ParsedRRule, WeekdayRule } from './rrule.ts';

export interface OccurrenceWindow {
  /** At most this many occurrences are returned. */
  readonly limit: number;
  /**
   * Only occurrences strictly later than this local date or date-time (in the series' zone) are returned.
   * Earlier ones still count towards COUNT.
   */
  readonly after?: string;
}

const LAST_YEAR = 9999;
/**
 * The calendar (leap years and weekdays alike) repeats every 400 years, so a rule silent for longer than
 * that many of its intervals is silent for good; this bounds the work a hopeless rule costs.
 */
const MAX_SILENT_DAYS = 146_097 + 366;

interface TimeOfDay { readonly hour: number; readonly minute: number; readonly second: number }
interface Span { readonly firstDay: number; readonly length: number }

/**
 * Occurrences of `rule` for a series starting at `start` (`YYYY-MM-DD`, or a local date-time), in the
 * spelling of `start`. As in RFC 5545, the start is itself the first occurrence and counts towards COUNT.
 * Every later occurrence has the start's time of day. `zone` is the series' IANA zone; it only matters
 * for an UNTIL given as a UTC instant (a date-only series reads that in UTC when `zone` is null).
 * Impossible dates are skipped, never moved: BYMONTHDAY=31 skips 30-day months and a series started on
 * the 31st skips them too; -1 is the last day of every month.
 * A series silent for more than 400 years (times its INTERVAL) is taken to have ended.
 * Throws RangeError on a `start` or `after` that is not a date or local date-time.
 */
export function nextOccurrences(rule: ParsedRRule, start: string, zone: string | null, window: OccurrenceWindow): string[] {
  const first = readLocal(start, 'start');
  const isLater = laterThan(window.after === undefined ? null : readLocal(window.after, 'after'));
  const isWithinUntil = withinUntil(rule, first.time, zone);
  const spell = (day: CivilDate): string => spelling(start, day, first.time);
  const found: string[] = [];
  let counted = 0;
  let lastOffered = epochDay(first.date);

  // Returns false once the series (or the window) is exhausted.
  const offer = (day: CivilDate): boolean => {
    if (!isWithinUntil(day)) return false;
    counted += 1;
    lastOffered = epochDay(day);
    if (rule.count !== null && counted > rule.count) return false;
    if (isLater(day, first.time)) found.push(spell(day));
    return found.length < window.limit;
  };

  if (window.limit <= 0 || !offer(first.date)) return found;
  const startDay = epochDay(first.date);
  // Every INTERVAL-th period is looked at, so the same number of periods covers INTERVAL times the days.
  const maxSilentDays = MAX_SILENT_DAYS * rule.interval;
  for (let period = 0; ; period += 1) {
    const spans = spansOf(rule, first.date, period);
    if (spans === null) return found;
    for (const span of spans) {
      if (span.firstDay - lastOffered > maxSilentDays || !isWithinUntil(civilFromEpochDay(span.firstDay))) return found;
      for (let index = 0; index < span.length; index += 1) {
        const dayNumber = span.firstDay + index;
        if (dayNumber <= startDay) continue;
        const day = civilFromEpochDay(dayNumber);
        if (matches(rule, first.date, day, index, span.length) && !offer(day)) return found;
      }
    }
  }
}

/** The stretches of days the `period`-th interval of the rule covers, or null past year 9999. */
function spansOf(rule: ParsedRRule, first: CivilDate, period: number): Span[] | null {
  const step = period * rule.interval;
  switch (rule.freq) {
    case 'DAILY': {
      const firstDay = epochDay(first) + step;
      return civilFromEpochDay(firstDay).year > LAST_YEAR ? null : [{ firstDay, length: 1 }];
    }
    case 'WEEKLY': {
      // Weeks start on Monday (RFC 5545's default WKST).
      const firstDay = epochDay(first) - (isoWeekday(first) - 1) + 7 * step;
      return civilFromEpochDay(firstDay).year > LAST_YEAR ? null : [{ firstDay, length: 7 }];
    }
    case 'MONTHLY': {
      const monthIndex = first.year * 12 + (first.month - 1) + step;
      const year = Math.floor(monthIndex / 12);
      return year > LAST_YEAR ? null : [monthSpan(year, (monthIndex % 12) + 1)];
    }
    case 'YEARLY': {
      const year = first.year + step;
      if (year > LAST_YEAR) return null;
      // With BYMONTH, ordinals such as 2MO count within each month; without it, within the year.
      if (rule.byMonth.length > 0) return [...rule.byMonth].sort((a, b) => a - b).map((month) => monthSpan(year, month));
      return [{ firstDay: epochDay({ year, month: 1, day: 1 }), length: daysInYear(year) }];
    }
    default: return assertNever(rule.freq);
  }
}

function monthSpan(year: number, month: number): Span {
  return { firstDay: epochDay({ year, month, day: 1 }), length: daysInMonth(year, month) };
}

function matches(rule: ParsedRRule, first: CivilDate, day: CivilDate, index: number, spanLength: number): boolean {
  if (rule.byMonth.length > 0 && !rule.byMonth.includes(day.month)) return false;
  if (rule.byMonthDay.length > 0 && !rule.byMonthDay.some((monthDay) => isMonthDay(day, monthDay))) return false;
  if (rule.byDay.length > 0) return rule.byDay.some((weekdayRule) => isWeekday(day, weekdayRule, index, spanLength));
  if (rule.byMonthDay.length > 0) return true;
  // No BY part picks the day, so the start does: its weekday, day of month, or date.
  switch (rule.freq) {
    case 'DAILY': return true;
    case 'WEEKLY': return isoWeekday(day) === isoWeekday(first);
    case 'MONTHLY': return day.day === first.day;
    case 'YEARLY': return day.day === first.day && (rule.byMonth.length > 0 || day.month === first.month);
    default: return assertNever(rule.freq);
  }
}

function isMonthDay(day: CivilDate, monthDay: number): boolean {
  return monthDay > 0 ? day.day === monthDay : day.day === daysInMonth(day.year, day.month) + monthDay + 1;
}

function isWeekday(day: CivilDate, rule: WeekdayRule, index: number, spanLength: number): boolean {
  if (isoWeekday(day) !== WEEKDAY_CODES.indexOf(rule.weekday) + 1) return false;
  if (rule.ordinal === null) return true;
  if (rule.ordinal > 0) return Math.floor(index / 7) + 1 === rule.ordinal;
  return Math.floor((spanLength - 1 - index) / 7) + 1 === -rule.ordinal;
}

function withinUntil(rule: ParsedRRule, time: TimeOfDay | null, zone: string | null): (day: CivilDate) => boolean {
  const until = rule.until;
  if (until === null) return () => true;
  if ('date' in until) {
    const lastDay = epochDay(parseDate(until.date) ?? { year: LAST_YEAR, month: 12, day: 31 });
    return (day) => epochDay(day) <= lastDay;
  }
  const limit = parseInstant(until.instant) ?? Number.POSITIVE_INFINITY;
  if (time !== null && zone !== null) return (day) => zonedToEpochMillis({ ...day, ...time }, zone) <= limit;
  const lastDay = epochDay(zone === null ? civilFromEpochDay(Math.floor(limit / MILLIS_PER_DAY)) : epochMillisToZoned(limit, zone));
  return (day) => epochDay(day) <= lastDay;
}

function laterThan(after: { date: CivilDate; time: TimeOfDay | null } | null): (day: CivilDate, time: TimeOfDay | null) => boolean {
  if (after === null) return () => true;
  const { date, time: afterTime } = after;
  if (afterTime === null) return (day) => epochDay(day) > epochDay(date);
  const afterMillis = wallClockMillis({ ...date, ...afterTime });
  return (day, time) => (time === null ? epochDay(day) > epochDay(date) : wallClockMillis({ ...day, ...time }) > afterMillis);
}

function readLocal(text: string, name: string): { date: CivilDate; time: TimeOfDay | null } {
  const date = parseDate(text);
  if (date) return { date, time: null };
  const dateTime: CivilDateTime | null = parseLocalDateTime(text);
  if (!dateTime) throw new RangeError(`${name} is neither a date nor a local date-time: ${text}`);
  const { hour, minute, second, ...day } = dateTime;
  return { date: day, time: { hour, minute, second } };
}

/** Occurrences are spelled like the start, so a due of 09:00 recurs as 09:00, not 09:00:00. */
function spelling(start: string, day: CivilDate, time: TimeOfDay | null): string {
  if (time === null) return formatDate(day);
  const text = formatLocalDateTime({ ...day, ...time });
  return start.length === 'YYYY-MM-DDTHH:MM'.length ? text.slice(0, 16) : text;
}
