import { describe, expect, it } from 'vitest';
import { dueInstant } from '../task/due-instant.ts';
import { fold } from '../task/evolve.ts';
import { TASK_ID, taskCompleted, taskCreated, taskUpdated } from '../task/testing/task-fixtures.ts';
import type { Anchor, Due, Reminder, Task, TaskEvent, TaskFields } from '../task/types.ts';
import { zonedToInstant } from '../time/time-zone.ts';
import { nextOccurrence, upcomingOccurrences, type SeriesEnd } from './next-occurrence.ts';

/*
 * Golden cases for "what is the next task of this series": given the task's events, when it is completed
 * at an instant, then the next task has this due (or the series ends).
 */

const SERIES_ID = '0b7e2a7c-3c1d-4e55-8f0a-6d2b9c4e1f30';

const berlin = (datetime: string): Due => ({ datetime, timezone: 'Europe/Berlin' });
const newYork = (datetime: string): Due => ({ datetime, timezone: 'America/New_York' });
const day = (date: string): Due => ({ date });

function recurring(rrule: string, due: Due | null, anchor: Anchor = 'due', fields: Partial<TaskFields> = {}, rest: { series_id?: string; occurrence?: number } = {}): TaskEvent {
  return taskCreated({ due, recurrence: { rrule, anchor }, ...fields }, rest);
}

function given(...events: TaskEvent[]) {
  const state = fold(events);
  if (state.kind !== 'present') throw new Error('a spec must start with a created task');
  const task: Task = state.task;
  return {
    whenCompletedAt(completedAt: string) {
      const next = nextOccurrence(task, completedAt);
      return {
        thenNextDue(due: Due): void {
          expect(next.kind === 'next' ? next.fields.due : next).toEqual(due);
        },
        thenNext(expected: { series: { series_id: string; occurrence: number }; fields: TaskFields }): void {
          expect(next).toEqual({ kind: 'next', ...expected });
        },
        thenSeriesEnds(reason: SeriesEnd): void {
          expect(next).toEqual({ kind: 'ended', reason });
        },
      };
    },
    /** The preview: due dates of the next tasks, each completed exactly when due. */
    upcoming(completedAt: string, limit: number): Due[] {
      return upcomingOccurrences(task, completedAt, limit).map((occurrence) => occurrence.due);
    },
  };
}

describe('monthly on January 31st', () => {
  it('FREQ=MONTHLY skips February (no 31st) and lands on March 31st', () =>
    given(recurring('FREQ=MONTHLY', day('2026-01-31'))).whenCompletedAt('2026-01-31T18:00:00Z').thenNextDue(day('2026-03-31')));

  it('BYMONTHDAY=31 skips the short months too, as RFC 5545 says', () =>
    expect(given(recurring('FREQ=MONTHLY;BYMONTHDAY=31', day('2026-01-31'))).upcoming('2026-01-31T18:00:00Z', 4))
      .toEqual([day('2026-03-31'), day('2026-05-31'), day('2026-07-31'), day('2026-08-31')]));

  it('BYMONTHDAY=-1 is the last day of every month: February 28th', () =>
    given(recurring('FREQ=MONTHLY;BYMONTHDAY=-1', day('2026-01-31'))).whenCompletedAt('2026-01-31T18:00:00Z').thenNextDue(day('2026-02-28')));

  it('BYMONTHDAY=-1 in a leap year: February 29th', () =>
    given(recurring('FREQ=MONTHLY;BYMONTHDAY=-1', day('2028-01-31'))).whenCompletedAt('2028-01-31T18:00:00Z').thenNextDue(day('2028-02-29')));

  it('BYMONTHDAY=-1 keeps to month ends from one task to the next', () =>
    expect(given(recurring('FREQ=MONTHLY;BYMONTHDAY=-1', berlin('2026-01-31T17:00'))).upcoming('2026-01-31T16:00:00Z', 4))
      .toEqual([berlin('2026-02-28T17:00'), berlin('2026-03-31T17:00'), berlin('2026-04-30T17:00'), berlin('2026-05-31T17:00')]));
});

describe('yearly on February 29th', () => {
  it('recurs in the next leap year', () =>
    given(recurring('FREQ=YEARLY', day('2024-02-29'))).whenCompletedAt('2024-02-29T12:00:00Z').thenNextDue(day('2028-02-29')));

  it('and only in leap years after that', () =>
    expect(given(recurring('FREQ=YEARLY', day('2024-02-29'))).upcoming('2024-02-29T12:00:00Z', 3))
      .toEqual([day('2028-02-29'), day('2032-02-29'), day('2036-02-29')]));
});

describe('daily at 09:00 across DST switches stays 09:00 local', () => {
  const cases = [
    { zone: 'America/New_York', switch: 'spring forward', due: '2026-03-07T09:00', completed: '2026-03-07T14:30:00Z', next: '2026-03-08T09:00', before: '2026-03-07T14:00:00.000Z', after: '2026-03-08T13:00:00.000Z' },
    { zone: 'America/New_York', switch: 'fall back', due: '2026-10-31T09:00', completed: '2026-10-31T13:30:00Z', next: '2026-11-01T09:00', before: '2026-10-31T13:00:00.000Z', after: '2026-11-01T14:00:00.000Z' },
    { zone: 'Europe/Berlin', switch: 'spring forward', due: '2026-03-28T09:00', completed: '2026-03-28T08:30:00Z', next: '2026-03-29T09:00', before: '2026-03-28T08:00:00.000Z', after: '2026-03-29T07:00:00.000Z' },
    { zone: 'Europe/Berlin', switch: 'fall back', due: '2026-10-24T09:00', completed: '2026-10-24T07:30:00Z', next: '2026-10-25T09:00', before: '2026-10-24T07:00:00.000Z', after: '2026-10-25T08:00:00.000Z' },
  ];
  for (const c of cases) {
    it(`${c.zone}, ${c.switch}: the next due is 09:00 again, a different UTC hour`, () => {
      const due: Due = { datetime: c.due, timezone: c.zone };
      const next: Due = { datetime: c.next, timezone: c.zone };
      given(recurring('FREQ=DAILY', due)).whenCompletedAt(c.completed).thenNextDue(next);
      expect([dueInstant(due), dueInstant(next)]).toEqual([c.before, c.after]);
    });
  }

  it('a week of New York tasks through spring-forward all read 09:00', () =>
    expect(given(recurring('FREQ=DAILY', newYork('2026-03-06T09:00'))).upcoming('2026-03-06T14:00:00Z', 3))
      .toEqual([newYork('2026-03-07T09:00'), newYork('2026-03-08T09:00'), newYork('2026-03-09T09:00')]));

  it('02:30 does not exist on New York\'s spring-forward day: the task says 02:30 and falls due at 03:30 EDT', () => {
    given(recurring('FREQ=DAILY', newYork('2026-03-07T02:30'))).whenCompletedAt('2026-03-07T08:00:00Z').thenNextDue(newYork('2026-03-08T02:30'));
    expect(dueInstant(newYork('2026-03-08T02:30'))).toBe('2026-03-08T07:30:00.000Z');
    expect(zonedToInstant('2026-03-08T03:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
  });

  it('02:30 does not exist on Berlin\'s spring-forward day: it falls due at 03:30 CEST', () => {
    given(recurring('FREQ=DAILY', berlin('2026-03-28T02:30'))).whenCompletedAt('2026-03-28T02:00:00Z').thenNextDue(berlin('2026-03-29T02:30'));
    expect(dueInstant(berlin('2026-03-29T02:30'))).toBe('2026-03-29T01:30:00.000Z');
  });

  it('the day after the gap, 02:30 is 02:30 again', () =>
    given(recurring('FREQ=DAILY', newYork('2026-03-08T02:30'))).whenCompletedAt('2026-03-08T07:45:00Z').thenNextDue(newYork('2026-03-09T02:30')));
});

describe('every 2 weeks on Monday and Wednesday', () => {
  const rule = 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE';

  it('Monday is followed by that Wednesday', () =>
    given(recurring(rule, berlin('2026-03-02T18:00'))).whenCompletedAt('2026-03-02T17:30:00Z').thenNextDue(berlin('2026-03-04T18:00')));

  it('Wednesday is followed by the Monday two weeks on', () =>
    given(recurring(rule, berlin('2026-03-04T18:00'))).whenCompletedAt('2026-03-04T17:30:00Z').thenNextDue(berlin('2026-03-16T18:00')));

  it('the preview alternates Monday, Wednesday, skipping every other week', () =>
    expect(given(recurring(rule, day('2026-03-02'))).upcoming('2026-03-02T10:00:00Z', 5))
      .toEqual([day('2026-03-04'), day('2026-03-16'), day('2026-03-18'), day('2026-03-30'), day('2026-04-01')]));
});

describe('anchored on completion', () => {
  const everyThirdDay = 'FREQ=DAILY;INTERVAL=3';

  it('counts from the completion day, keeping the due\'s time of day', () =>
    given(recurring(everyThirdDay, berlin('2026-03-01T09:00'), 'completion')).whenCompletedAt('2026-03-05T14:00:00Z').thenNextDue(berlin('2026-03-08T09:00')));

  it('reads the completion day in the task\'s zone, not in UTC', () =>
    // 23:30 UTC on the 5th is 00:30 on the 6th in Berlin.
    given(recurring(everyThirdDay, berlin('2026-03-01T09:00'), 'completion')).whenCompletedAt('2026-03-05T23:30:00Z').thenNextDue(berlin('2026-03-09T09:00')));

  it('counts from the completion even when the task is done early', () =>
    given(recurring(everyThirdDay, berlin('2026-03-10T09:00'), 'completion')).whenCompletedAt('2026-03-05T14:00:00Z').thenNextDue(berlin('2026-03-08T09:00')));

  it('a date-only due counts from the completion date in UTC', () =>
    given(recurring('FREQ=WEEKLY', day('2026-03-01'), 'completion')).whenCompletedAt('2026-03-10T22:00:00-05:00').thenNextDue(day('2026-03-18')));

  it('a task without a due gets a date-only due counted from the completion date', () =>
    given(recurring('FREQ=DAILY;INTERVAL=2', null, 'completion')).whenCompletedAt('2026-03-05T10:00:00Z').thenNextDue(day('2026-03-07')));

  it('with BYDAY, the first matching day after the completion', () =>
    // Completed on Wednesday 2026-03-04: the next Monday.
    given(recurring('FREQ=WEEKLY;BYDAY=MO', day('2026-02-23'), 'completion')).whenCompletedAt('2026-03-04T12:00:00Z').thenNextDue(day('2026-03-09')));
});

describe('an overdue series skips to the first occurrence after the completion', () => {
  it('daily 09:00, completed four days late at noon: tomorrow 09:00', () =>
    given(recurring('FREQ=DAILY', berlin('2026-03-01T09:00'))).whenCompletedAt('2026-03-05T11:00:00Z').thenNextDue(berlin('2026-03-06T09:00')));

  it('daily 09:00, completed four days late before 09:00: today 09:00, still ahead', () =>
    given(recurring('FREQ=DAILY', berlin('2026-03-01T09:00'))).whenCompletedAt('2026-03-05T07:00:00Z').thenNextDue(berlin('2026-03-05T09:00')));

  it('a date-only daily task completed late: the day after the completion', () =>
    given(recurring('FREQ=DAILY', day('2026-03-01'))).whenCompletedAt('2026-03-05T10:00:00Z').thenNextDue(day('2026-03-06')));

  it('weekly on Monday, two weeks late (on a Thursday): the coming Monday', () =>
    given(recurring('FREQ=WEEKLY;BYDAY=MO', day('2026-03-02'))).whenCompletedAt('2026-03-19T10:00:00Z').thenNextDue(day('2026-03-23')));

  it('monthly from January 31st, completed mid-April: May 31st', () =>
    given(recurring('FREQ=MONTHLY', day('2026-01-31'))).whenCompletedAt('2026-04-15T10:00:00Z').thenNextDue(day('2026-05-31')));

  it('a task done early still counts from its due', () =>
    given(recurring('FREQ=DAILY', day('2026-03-05'))).whenCompletedAt('2026-03-02T10:00:00Z').thenNextDue(day('2026-03-06')));
});

describe('COUNT and UNTIL end the series', () => {
  const rule = 'FREQ=DAILY;COUNT=3';

  it('COUNT=3 allows occurrences 0, 1 and 2', () => {
    given(recurring(rule, day('2026-03-01'))).whenCompletedAt('2026-03-01T10:00:00Z').thenNextDue(day('2026-03-02'));
    given(recurring(rule, day('2026-03-02'), 'due', {}, { series_id: SERIES_ID, occurrence: 1 }))
      .whenCompletedAt('2026-03-02T10:00:00Z').thenNextDue(day('2026-03-03'));
    given(recurring(rule, day('2026-03-03'), 'due', {}, { series_id: SERIES_ID, occurrence: 2 }))
      .whenCompletedAt('2026-03-03T10:00:00Z').thenSeriesEnds('count_reached');
  });

  it('COUNT counts tasks, not dates skipped while overdue', () =>
    given(recurring(rule, day('2026-03-01'))).whenCompletedAt('2026-03-20T10:00:00Z').thenNextDue(day('2026-03-21')));

  it('the preview stops at COUNT', () =>
    expect(given(recurring(rule, day('2026-03-01'))).upcoming('2026-03-01T10:00:00Z', 10)).toEqual([day('2026-03-02'), day('2026-03-03')]));

  it('COUNT=1 is a series of one', () =>
    given(recurring('FREQ=DAILY;COUNT=1', day('2026-03-01'))).whenCompletedAt('2026-03-01T10:00:00Z').thenSeriesEnds('count_reached'));

  it('UNTIL as a date is the last possible due', () => {
    given(recurring('FREQ=DAILY;UNTIL=20260303', day('2026-03-02'))).whenCompletedAt('2026-03-02T10:00:00Z').thenNextDue(day('2026-03-03'));
    given(recurring('FREQ=DAILY;UNTIL=20260303', day('2026-03-03'))).whenCompletedAt('2026-03-03T10:00:00Z').thenSeriesEnds('no_more_dates');
  });

  it('UNTIL as an instant is compared with the instant of the next due', () => {
    given(recurring('FREQ=DAILY;UNTIL=20260302T080000Z', berlin('2026-03-01T09:00'))).whenCompletedAt('2026-03-01T08:30:00Z').thenNextDue(berlin('2026-03-02T09:00'));
    given(recurring('FREQ=DAILY;UNTIL=20260302T075959Z', berlin('2026-03-01T09:00'))).whenCompletedAt('2026-03-01T08:30:00Z').thenSeriesEnds('no_more_dates');
  });

  it('an overdue series whose next date is past UNTIL ends', () =>
    given(recurring('FREQ=DAILY;UNTIL=20260303', day('2026-03-01'))).whenCompletedAt('2026-03-10T10:00:00Z').thenSeriesEnds('no_more_dates'));

  it('a task without recurrence has no next occurrence', () =>
    given(taskCreated({ due: day('2026-03-01') })).whenCompletedAt('2026-03-01T10:00:00Z').thenSeriesEnds('not_recurring'));

  it('a recurrence removed by an update ends the series', () =>
    given(recurring('FREQ=DAILY', day('2026-03-01')), taskUpdated({ recurrence: null }))
      .whenCompletedAt('2026-03-01T10:00:00Z').thenSeriesEnds('not_recurring'));
});

describe('what carries over', () => {
  const reminders: Reminder[] = [{ before_minutes: 15, channels: ['email'] }, { at: '2026-03-01T07:30:00Z', channels: ['push'] }];
  const fields: Partial<TaskFields> = { title: 'Water the plants', description: 'the ferns too', priority: 'high', tags: ['home', 'plants'], reminders, estimate_minutes: 20 };

  it('the first task starts the series: its id is the series id, the next task is occurrence 1', () =>
    given(recurring('FREQ=WEEKLY', berlin('2026-03-01T09:00'), 'due', fields), taskCompleted('2026-03-01T08:45:00.000Z'))
      .whenCompletedAt('2026-03-01T08:45:00.000Z')
      .thenNext({
        series: { series_id: TASK_ID, occurrence: 1 },
        fields: {
          title: 'Water the plants',
          description: 'the ferns too',
          priority: 'high',
          tags: ['home', 'plants'],
          due: berlin('2026-03-08T09:00'),
          // 08:30 Berlin before a 09:00 due stays 08:30 before the next one.
          reminders: [{ before_minutes: 15, channels: ['email'] }, { at: '2026-03-08T07:30:00.000Z', channels: ['push'] }],
          recurrence: { rrule: 'FREQ=WEEKLY', anchor: 'due' },
          estimate_minutes: 20,
        },
      }));

  it('a later task keeps its series id and counts on', () => {
    const next = nextOccurrence(taskOf(recurring('FREQ=DAILY', day('2026-03-05'), 'due', {}, { series_id: SERIES_ID, occurrence: 4 })), '2026-03-05T10:00:00Z');
    expect(next).toMatchObject({ kind: 'next', series: { series_id: SERIES_ID, occurrence: 5 } });
  });

  it('an absolute reminder moves with the due across a DST switch, keeping its local distance', () =>
    given(recurring('FREQ=DAILY', berlin('2026-03-28T09:00'), 'due', { reminders: [{ at: '2026-03-28T07:30:00Z', channels: ['email'] }] }))
      .whenCompletedAt('2026-03-28T08:00:00Z')
      .thenNext({
        series: { series_id: TASK_ID, occurrence: 1 },
        fields: {
          title: 'Buy milk', description: null, priority: 'none', tags: [],
          due: berlin('2026-03-29T09:00'),
          // 08:30 CET before, 08:30 CEST after: 06:30 UTC.
          reminders: [{ at: '2026-03-29T06:30:00.000Z', channels: ['email'] }],
          recurrence: { rrule: 'FREQ=DAILY', anchor: 'due' },
          estimate_minutes: null,
        },
      }));

  it('follows the rule as last edited', () =>
    given(recurring('FREQ=DAILY', day('2026-03-01')), taskUpdated({ recurrence: { rrule: 'FREQ=WEEKLY', anchor: 'due' } }))
      .whenCompletedAt('2026-03-01T10:00:00Z').thenNextDue(day('2026-03-08')));
});

function taskOf(...events: TaskEvent[]): Task {
  const state = fold(events);
  if (state.kind !== 'present') throw new Error('no task');
  return state.task;
}
