/**
 * What comes after a recurring task: the next task of its series, given the task and the instant it was
 * completed. Pure: the completion instant is the only time it knows.
 *
 * - `anchor: due` counts from the task's due; `anchor: completion` from the completion, read in the task's
 *   zone (the due's time of day kept for a date-time due; for a date-only due, or none, the completion's
 *   date in UTC, as date-only dues are UTC days everywhere).
 * - An overdue series skips: the next due is the first occurrence after both the due and the completion,
 *   so completing a task three days late never creates three tasks that are already overdue.
 * - COUNT bounds the tasks of the series: occurrence indexes run 0 … COUNT-1. Skipped dates do not count,
 *   because each task restarts the rule from its own due and a task is what the user sees.
 * - UNTIL ends the series at the first occurrence past it; so does a rule that can never match again.
 */
import { MILLIS_PER_DAY, civilFromEpochDay } from '../time/calendar.ts';
import { formatDate, formatInstant, parseInstant } from '../time/iso-strings.ts';
import { instantToZoned } from '../time/time-zone.ts';
import { dueInstant } from '../task/due-instant.ts';
import { fieldsOf } from '../task/fields.ts';
import type { Anchor, Due, Reminder, Task, TaskFields } from '../task/types.ts';
import { nextOccurrences } from './occurrences.ts';
import { parseRRule } from './rrule.ts';
import type { ParsedRRule } from './rrule.ts';

export type SeriesEnd =
  /** The task has no recurrence. */
  | 'not_recurring'
  /** The stored rule no longer parses (rules only ever get stricter); nothing is guessed. */
  | 'invalid_rule'
  /** COUNT tasks exist already. */
  | 'count_reached'
  /** UNTIL is passed, or the rule has no later date at all. */
  | 'no_more_dates';

export type NextOccurrence =
  | {
    readonly kind: 'next';
    /** `series_id` is the completed task's, or its own id when it is the first of its series. */
    readonly series: { readonly series_id: string; readonly occurrence: number };
    /** Everything the next task is created with: the completed task's fields, due moved on. */
    readonly fields: TaskFields & { readonly due: Due };
  }
  | { readonly kind: 'ended'; readonly reason: SeriesEnd };

export interface UpcomingOccurrence { readonly occurrence: number; readonly due: Due }

const ended = (reason: SeriesEnd): NextOccurrence => ({ kind: 'ended', reason });

/**
 * The next task of `task`'s series when `task` is completed at `completedAt` (an RFC 3339 instant).
 * Throws RangeError if `completedAt` is not an instant; a task's own fields are trusted as validated.
 */
export function nextOccurrence(task: Task, completedAt: string): NextOccurrence {
  const recurrence = task.recurrence;
  if (recurrence === null) return ended('not_recurring');
  const parsed = parseRRule(recurrence.rrule);
  if (!parsed.ok) return ended('invalid_rule');
  const occurrence = task.occurrence + 1;
  if (parsed.value.count !== null && occurrence >= parsed.value.count) return ended('count_reached');
  // Each task restarts the rule from its own due, so the rule's COUNT (which counts from its start) is
  // replaced by the occurrence index above.
  const due = nextDue({ ...parsed.value, count: null }, task.due, recurrence.anchor, completedAt);
  if (due === null) return ended('no_more_dates');
  return {
    kind: 'next',
    series: { series_id: task.series_id ?? task.id, occurrence },
    fields: { ...fieldsOf(task), due, reminders: movedReminders(task.reminders, task.due, due, completedAt), recurrence },
  };
}

/**
 * The due dates the tasks after `task` would get: the first as if `task` were completed at `completedAt`,
 * each later one as if its predecessor were completed exactly when due. At most `limit`; fewer when the
 * series ends.
 */
export function upcomingOccurrences(task: Task, completedAt: string, limit: number): UpcomingOccurrence[] {
  const found: UpcomingOccurrence[] = [];
  let current = task;
  let completion = completedAt;
  while (found.length < limit) {
    const next = nextOccurrence(current, completion);
    if (next.kind === 'ended') break;
    found.push({ occurrence: next.series.occurrence, due: next.fields.due });
    current = { ...current, due: next.fields.due, occurrence: next.series.occurrence, series_id: next.series.series_id };
    completion = dueInstant(next.fields.due);
  }
  return found;
}

function nextDue(rule: ParsedRRule, due: Due | null, anchor: Anchor, completedAt: string): Due | null {
  const completion = parseInstant(completedAt);
  if (completion === null) throw new RangeError(`not an instant: ${completedAt}`);
  if (due === null) {
    // Only a completion-anchored series may lack a due; its tasks get date-only dues from then on.
    const start = utcDate(completion);
    const date = firstAfter(rule, start, null, start);
    return date === null ? null : { date };
  }
  if ('date' in due) {
    const completionDate = utcDate(completion);
    const start = anchor === 'due' ? due.date : completionDate;
    const date = firstAfter(rule, start, null, later(start, completionDate));
    return date === null ? null : { date };
  }
  const zone = due.timezone;
  const completionReading = instantToZoned(completedAt, zone);
  const start = anchor === 'due' ? due.datetime : `${completionReading.slice(0, 10)}${due.datetime.slice(10)}`;
  const datetime = firstAfter(rule, start, zone, later(start, completionReading));
  return datetime === null ? null : { datetime, timezone: zone };
}

/** The first occurrence of the rule started at `start` that is strictly later than `after`. */
function firstAfter(rule: ParsedRRule, start: string, zone: string | null, after: string): string | null {
  return nextOccurrences(rule, start, zone, { limit: 1, after })[0] ?? null;
}

/** The later of two readings of one kind (dates, or local date-times with or without seconds). */
function later(a: string, b: string): string {
  return comparable(a) >= comparable(b) ? a : b;
}

/** Readings compare as text once every date-time carries its seconds (years are four digits). */
function comparable(reading: string): string {
  return reading.length === 'YYYY-MM-DDTHH:MM'.length ? `${reading}:00` : reading;
}

function utcDate(epochMillis: number): string {
  return formatDate(civilFromEpochDay(Math.floor(epochMillis / MILLIS_PER_DAY)));
}

/**
 * `before_minutes` reminders follow the due by themselves. An absolute `at` would lie in the past for
 * every later task, so it moves by as much as the due did (from the completion when there was no due).
 */
function movedReminders(reminders: readonly Reminder[], from: Due | null, to: Due, completedAt: string): Reminder[] {
  const shift = instantMillis(dueInstant(to)) - instantMillis(from === null ? completedAt : dueInstant(from));
  return reminders.map((reminder) => ('at' in reminder
    ? { at: formatInstant(instantMillis(reminder.at) + shift), channels: [...reminder.channels] }
    : { before_minutes: reminder.before_minutes, channels: [...reminder.channels] }));
}

function instantMillis(instant: string): number {
  const millis = parseInstant(instant);
  if (millis === null) throw new RangeError(`not an instant: ${instant}`);
  return millis;
}
