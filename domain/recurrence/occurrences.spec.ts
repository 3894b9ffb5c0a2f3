import { describe, expect, it } from 'vitest';
import { zonedToInstant } from '../time/time-zone.ts';
import { nextOccurrences } from './occurrences.ts';
import type { OccurrenceWindow } from './occurrences.ts';
import { parseRRule } from './rrule.ts';
import type { ParsedRRule } from './rrule.ts';

function rule(text: string): ParsedRRule {
  const result = parseRRule(text);
  if (!result.ok) throw new Error(`bad rule in spec: ${text}`);
  return result.value;
}

const occurrences = (text: string, start: string, window: OccurrenceWindow, zone: string | null = 'Europe/Berlin'): string[] =>
  nextOccurrences(rule(text), start, zone, window);

describe('nextOccurrences keeps wall-clock time', () => {
  it('a daily 09:00 in Berlin stays 09:00 across spring-forward, so one day is 23 hours long', () => {
    const days = occurrences('FREQ=DAILY', '2026-03-28T09:00', { limit: 3 });
    expect(days).toEqual(['2026-03-28T09:00', '2026-03-29T09:00', '2026-03-30T09:00']);
    expect(days.map((day) => zonedToInstant(day, 'Europe/Berlin')))
      .toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z']);
  });

  it('a daily midnight in New York stays on its date across fall-back', () =>
    expect(occurrences('FREQ=DAILY', '2026-10-31T00:00', { limit: 3 }, 'America/New_York'))
      .toEqual(['2026-10-31T00:00', '2026-11-01T00:00', '2026-11-02T00:00']));

  it('a daily 02:30 in New York is still 02:30 on the day it does not exist; firing resolves it to 03:30', () => {
    const days = occurrences('FREQ=DAILY', '2026-03-07T02:30', { limit: 2 }, 'America/New_York');
    expect(days).toEqual(['2026-03-07T02:30', '2026-03-08T02:30']);
    expect(zonedToInstant('2026-03-08T02:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
  });

  it('spells occurrences like the start', () => {
    expect(occurrences('FREQ=DAILY', '2026-03-01T09:00:30', { limit: 2 })).toEqual(['2026-03-01T09:00:30', '2026-03-02T09:00:30']);
    expect(occurrences('FREQ=DAILY', '2026-03-01', { limit: 2 })).toEqual(['2026-03-01', '2026-03-02']);
  });
});

describe('nextOccurrences follows the rule', () => {
  it('counts the start as the first occurrence, even when the rule would not pick it', () =>
    expect(occurrences('FREQ=WEEKLY;BYDAY=MO', '2026-03-04', { limit: 3 })).toEqual(['2026-03-04', '2026-03-09', '2026-03-16']));

  it('WEEKLY on several weekdays, from the middle of a week', () =>
    expect(occurrences('FREQ=WEEKLY;BYDAY=MO,WE,FR', '2026-03-04T18:00', { limit: 4 }))
      .toEqual(['2026-03-04T18:00', '2026-03-06T18:00', '2026-03-09T18:00', '2026-03-11T18:00']));

  it('WEEKLY every other week', () =>
    expect(occurrences('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', '2026-03-02', { limit: 4 })).toEqual(['2026-03-02', '2026-03-05', '2026-03-16', '2026-03-19']));

  it('WEEKLY without BYDAY repeats the start weekday', () =>
    expect(occurrences('FREQ=WEEKLY', '2026-03-04', { limit: 3 })).toEqual(['2026-03-04', '2026-03-11', '2026-03-18']));

  it('DAILY limited to weekdays', () =>
    expect(occurrences('FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR', '2026-03-06', { limit: 3 })).toEqual(['2026-03-06', '2026-03-09', '2026-03-10']));

  it('DAILY every third day', () =>
    expect(occurrences('FREQ=DAILY;INTERVAL=3', '2026-02-26', { limit: 3 })).toEqual(['2026-02-26', '2026-03-01', '2026-03-04']));

  it('MONTHLY on the 31st skips the months without one', () =>
    expect(occurrences('FREQ=MONTHLY;BYMONTHDAY=31', '2026-01-31', { limit: 5 }))
      .toEqual(['2026-01-31', '2026-03-31', '2026-05-31', '2026-07-31', '2026-08-31']));

  it('MONTHLY started on the 31st skips them too, never overflowing into the next month', () =>
    expect(occurrences('FREQ=MONTHLY', '2026-01-31', { limit: 3 })).toEqual(['2026-01-31', '2026-03-31', '2026-05-31']));

  it('MONTHLY on day -1 is the last day of every month, February included', () => {
    expect(occurrences('FREQ=MONTHLY;BYMONTHDAY=-1', '2026-01-31', { limit: 4 })).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
    expect(occurrences('FREQ=MONTHLY;BYMONTHDAY=-1', '2028-01-31', { limit: 2 })).toEqual(['2028-01-31', '2028-02-29']);
  });

  it('MONTHLY on the last Friday', () =>
    expect(occurrences('FREQ=MONTHLY;BYDAY=-1FR', '2026-01-30', { limit: 4 })).toEqual(['2026-01-30', '2026-02-27', '2026-03-27', '2026-04-24']));

  it('MONTHLY on the second Monday', () =>
    expect(occurrences('FREQ=MONTHLY;BYDAY=2MO', '2026-03-09', { limit: 3 })).toEqual(['2026-03-09', '2026-04-13', '2026-05-11']));

  it('MONTHLY on Friday the 13th: BYDAY and BYMONTHDAY must both hold', () =>
    expect(occurrences('FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13', '2026-02-13', { limit: 4 }))
      .toEqual(['2026-02-13', '2026-03-13', '2026-11-13', '2027-08-13']));

  it('YEARLY from February 29th happens only in leap years', () =>
    expect(occurrences('FREQ=YEARLY', '2024-02-29', { limit: 3 })).toEqual(['2024-02-29', '2028-02-29', '2032-02-29']));

  it('YEARLY on the fourth Thursday of November', () =>
    expect(occurrences('FREQ=YEARLY;BYMONTH=11;BYDAY=4TH', '2026-11-26', { limit: 3 })).toEqual(['2026-11-26', '2027-11-25', '2028-11-23']));

  it('YEARLY on the 20th Monday of the year', () =>
    expect(occurrences('FREQ=YEARLY;BYDAY=20MO', '2026-05-18', { limit: 2 })).toEqual(['2026-05-18', '2027-05-17']));

  it('YEARLY on a month day without BYMONTH means that day of every month', () =>
    expect(occurrences('FREQ=YEARLY;BYMONTHDAY=1', '2026-01-01', { limit: 3 })).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']));
});

describe('nextOccurrences ends where the series ends', () => {
  it('COUNT includes the start', () =>
    expect(occurrences('FREQ=DAILY;COUNT=3', '2026-03-01', { limit: 10 })).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']));

  it('COUNT still counts occurrences before `after`', () =>
    expect(occurrences('FREQ=DAILY;COUNT=5', '2026-03-01', { limit: 10, after: '2026-03-03' })).toEqual(['2026-03-04', '2026-03-05']));

  it('UNTIL as a date is inclusive', () =>
    expect(occurrences('FREQ=DAILY;UNTIL=20260303', '2026-03-01T09:00', { limit: 10 })).toEqual(['2026-03-01T09:00', '2026-03-02T09:00', '2026-03-03T09:00']));

  it('UNTIL as an instant is compared with the instant of each occurrence in the zone', () => {
    expect(occurrences('FREQ=DAILY;UNTIL=20260302T080000Z', '2026-03-01T09:00', { limit: 10 })).toEqual(['2026-03-01T09:00', '2026-03-02T09:00']);
    expect(occurrences('FREQ=DAILY;UNTIL=20260302T075959Z', '2026-03-01T09:00', { limit: 10 })).toEqual(['2026-03-01T09:00']);
  });

  it('UNTIL as an instant for a date-only series is read in UTC when there is no zone', () =>
    expect(occurrences('FREQ=DAILY;UNTIL=20260302T235959Z', '2026-03-01', { limit: 10 }, null)).toEqual(['2026-03-01', '2026-03-02']));

  it('stops, rather than searching forever, for a rule that can never match again', () =>
    expect(occurrences('FREQ=MONTHLY;BYDAY=5MO;BYMONTHDAY=1', '2026-03-01', { limit: 3 })).toEqual(['2026-03-01']));
});

describe('nextOccurrences windows', () => {
  it('returns at most `limit` occurrences', () => expect(occurrences('FREQ=DAILY', '2026-03-01', { limit: 2 })).toHaveLength(2));

  it('returns nothing for a limit of 0', () => expect(occurrences('FREQ=DAILY', '2026-03-01', { limit: 0 })).toEqual([]));

  it('returns only occurrences strictly after `after`', () => {
    expect(occurrences('FREQ=DAILY', '2026-03-01T09:00', { limit: 2, after: '2026-03-03T09:00' })).toEqual(['2026-03-04T09:00', '2026-03-05T09:00']);
    expect(occurrences('FREQ=DAILY', '2026-03-01T09:00', { limit: 1, after: '2026-03-03T08:59' })).toEqual(['2026-03-03T09:00']);
    expect(occurrences('FREQ=DAILY', '2026-03-01T09:00', { limit: 1, after: '2026-03-03' })).toEqual(['2026-03-04T09:00']);
    expect(occurrences('FREQ=DAILY', '2026-03-01', { limit: 1, after: '2026-03-03T23:00' })).toEqual(['2026-03-04']);
  });

  it('refuses a start that is not a date or local date-time', () =>
    expect(() => occurrences('FREQ=DAILY', '2026-02-30', { limit: 1 })).toThrow(RangeError));
});

describe('nextOccurrences over long gaps', () => {
  it('finds leap days eight years apart across a non-leap century year', () =>
    expect(occurrences('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29', '2096-02-29', { limit: 2 })).toEqual(['2096-02-29', '2104-02-29']));

  it('finds an occurrence 400 years on', () =>
    expect(occurrences('FREQ=YEARLY;INTERVAL=100', '2000-02-29', { limit: 2 })).toEqual(['2000-02-29', '2400-02-29']));

  it('recurs every 500 or 1000 years when the interval says so, within the supported years', () => {
    expect(occurrences('FREQ=YEARLY;INTERVAL=500', '2026-06-01', { limit: 3 })).toEqual(['2026-06-01', '2526-06-01', '3026-06-01']);
    expect(occurrences('FREQ=YEARLY;INTERVAL=1000', '2026-06-01', { limit: 2 })).toEqual(['2026-06-01', '3026-06-01']);
  });

  it('finds a leap day every 1000 years two intervals on, when the first interval lands on a non-leap century year', () =>
    expect(occurrences('FREQ=YEARLY;INTERVAL=1000', '2000-02-29', { limit: 2 })).toEqual(['2000-02-29', '4000-02-29']));
});
