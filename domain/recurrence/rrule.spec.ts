import { describe, expect, it } from 'vitest';
import { normaliseRRule, parseRRule } from './rrule.ts';
import type { ParsedRRule } from './rrule.ts';

const daily: ParsedRRule = { freq: 'DAILY', interval: 1, byDay: [], byMonthDay: [], byMonth: [], count: null, until: null };

function parsed(text: string): ParsedRRule {
  const result = parseRRule(text);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${JSON.stringify(result.error)}`);
  return result.value;
}

function problems(text: string, path?: string): string[] {
  const result = parseRRule(text, path);
  if (result.ok) throw new Error(`expected ${text} to be refused`);
  return result.error.map((error) => error.message);
}

describe('parseRRule accepts the subset of docs/architecture.md §6.2', () => {
  it('FREQ alone, with INTERVAL defaulting to 1 and no end', () => expect(parsed('FREQ=DAILY')).toEqual(daily));

  it('an optional RRULE: prefix and any letter case', () => {
    expect(parsed('RRULE:FREQ=DAILY')).toEqual(daily);
    expect(parsed('rrule:freq=weekly;byday=mo,we')).toEqual({
      ...daily, freq: 'WEEKLY', byDay: [{ weekday: 'MO', ordinal: null }, { weekday: 'WE', ordinal: null }],
    });
  });

  it('INTERVAL from 1 to 1000', () => {
    expect(parsed('FREQ=WEEKLY;INTERVAL=1').interval).toBe(1);
    expect(parsed('FREQ=WEEKLY;INTERVAL=1000').interval).toBe(1000);
  });

  it('BYDAY with ±n ordinals for MONTHLY and YEARLY', () => {
    expect(parsed('FREQ=MONTHLY;BYDAY=-1FR').byDay).toEqual([{ weekday: 'FR', ordinal: -1 }]);
    expect(parsed('FREQ=MONTHLY;BYDAY=+2MO,5SU').byDay).toEqual([{ weekday: 'MO', ordinal: 2 }, { weekday: 'SU', ordinal: 5 }]);
    expect(parsed('FREQ=YEARLY;BYDAY=53MO,-53TU').byDay).toEqual([{ weekday: 'MO', ordinal: 53 }, { weekday: 'TU', ordinal: -53 }]);
    expect(parsed('FREQ=YEARLY;BYMONTH=11;BYDAY=4TH').byDay).toEqual([{ weekday: 'TH', ordinal: 4 }]);
  });

  it('BYMONTHDAY from -31 to 31, -1 being the last day of the month', () =>
    expect(parsed('FREQ=MONTHLY;BYMONTHDAY=1,15,31,-1,-31').byMonthDay).toEqual([1, 15, 31, -1, -31]));

  it('BYMONTH from 1 to 12, and February 29th', () =>
    expect(parsed('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29')).toEqual({ ...daily, freq: 'YEARLY', byMonth: [2], byMonthDay: [29] }));

  it('COUNT from 1 to 10000', () => {
    expect(parsed('FREQ=DAILY;COUNT=1').count).toBe(1);
    expect(parsed('FREQ=DAILY;COUNT=10000').count).toBe(10000);
  });

  it('UNTIL as a date or as a UTC date-time', () => {
    expect(parsed('FREQ=DAILY;UNTIL=20261231').until).toEqual({ date: '2026-12-31' });
    expect(parsed('FREQ=DAILY;UNTIL=20261231T235959Z').until).toEqual({ instant: '2026-12-31T23:59:59Z' });
  });
});

describe('parseRRule refuses, with a message naming the problem', () => {
  it.each([
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['RRULE:', 'is empty'],
    ['INTERVAL=2', 'FREQ is required'],
    ['FREQ=HOURLY', 'FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY (got "HOURLY")'],
    ['FREQ=DAILY;INTERVAL=0', 'INTERVAL must be an integer from 1 to 1000 (got "0")'],
    ['FREQ=DAILY;INTERVAL=1001', 'INTERVAL must be an integer from 1 to 1000'],
    ['FREQ=DAILY;INTERVAL=1.5', 'INTERVAL must be an integer'],
    ['FREQ=DAILY;INTERVAL=two', 'INTERVAL must be an integer'],
    ['FREQ=DAILY;COUNT=0', 'COUNT must be an integer from 1 to 10000'],
    ['FREQ=DAILY;COUNT=10001', 'COUNT must be an integer from 1 to 10000'],
    ['FREQ=DAILY;COUNT=3;UNTIL=20261231', 'COUNT and UNTIL cannot both be given'],
    ['FREQ=DAILY;FREQ=WEEKLY', 'FREQ is given more than once'],
    ['FREQ=DAILY;interval=2;INTERVAL=3', 'INTERVAL is given more than once'],
    ['FREQ=DAILY;COLOR=RED', '"COLOR" is not an RRULE part'],
    ['FREQ=DAILY;BYHOUR=9', 'BYHOUR is not supported'],
    ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=-1', 'BYSETPOS is not supported'],
    ['FREQ=WEEKLY;WKST=SU', 'WKST is not supported'],
    ['FREQ=DAILY;', 'has an empty part'],
    ['FREQ=DAILY;INTERVAL', '"INTERVAL" is not NAME=VALUE'],
    ['FREQ=DAILY;=3', '"=3" is not NAME=VALUE'],
    ['FREQ=DAILY;INTERVAL=', 'INTERVAL has no value'],
    ['FREQ=DAILY;BYDAY=1MO', 'BYDAY ordinals such as 1MO need FREQ=MONTHLY or FREQ=YEARLY'],
    ['FREQ=WEEKLY;BYDAY=-1FR', 'BYDAY ordinals such as -1FR need FREQ=MONTHLY or FREQ=YEARLY'],
    ['FREQ=MONTHLY;BYDAY=6MO', 'BYDAY ordinal 6MO counts within a month, so it must be from -5 to 5'],
    ['FREQ=YEARLY;BYMONTH=3;BYDAY=-6MO', 'must be from -5 to 5'],
    ['FREQ=YEARLY;BYDAY=54MO', 'BYDAY ordinal must be from 1 to 53 or -53 to -1 (got "54MO")'],
    ['FREQ=YEARLY;BYDAY=0MO', 'BYDAY ordinal must be from 1 to 53'],
    ['FREQ=WEEKLY;BYDAY=XX', 'BYDAY entries are MO, TU, WE, TH, FR, SA or SU'],
    ['FREQ=WEEKLY;BYDAY=MONDAY', 'BYDAY entries are MO, TU'],
    ['FREQ=WEEKLY;BYDAY=MO,,TU', 'BYDAY has an empty entry'],
    ['FREQ=WEEKLY;BYDAY=MO,TU,MO', 'BYDAY lists "MO" more than once'],
    ['FREQ=MONTHLY;BYMONTHDAY=1,01', 'BYMONTHDAY lists "01" more than once'],
    ['FREQ=MONTHLY;BYMONTHDAY=0', 'BYMONTHDAY entries must be from 1 to 31 or -31 to -1 (got "0")'],
    ['FREQ=MONTHLY;BYMONTHDAY=32', 'BYMONTHDAY entries must be from 1 to 31 or -31 to -1'],
    ['FREQ=MONTHLY;BYMONTHDAY=-32', 'BYMONTHDAY entries must be from 1 to 31 or -31 to -1'],
    ['FREQ=WEEKLY;BYMONTHDAY=1', 'BYMONTHDAY cannot be used with FREQ=WEEKLY'],
    ['FREQ=YEARLY;BYMONTH=13', 'BYMONTH must be an integer from 1 to 12 (got "13")'],
    ['FREQ=YEARLY;BYMONTH=0', 'BYMONTH must be an integer from 1 to 12'],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', 'BYMONTHDAY=30 never falls in BYMONTH=2'],
    ['FREQ=YEARLY;BYMONTH=4,6;BYMONTHDAY=-31', 'BYMONTHDAY=-31 never falls in BYMONTH=4,6'],
    ['FREQ=DAILY;UNTIL=20260230', 'UNTIL must be a date YYYYMMDD or a UTC date-time YYYYMMDDTHHMMSSZ (got "20260230")'],
    ['FREQ=DAILY;UNTIL=2026-12-31', 'UNTIL must be a date YYYYMMDD'],
    ['FREQ=DAILY;UNTIL=20261231T120000', 'UNTIL with a time must be in UTC and end in Z'],
    ['FREQ=DAILY;UNTIL=20261231T250000Z', 'UNTIL has an invalid time of day'],
    ['FREQ = DAILY', '"FREQ " is not an RRULE part'],
  ])('%j: %s', (text, message) => expect(problems(text).join('\n')).toContain(message));

  it('refuses rules longer than 500 characters', () =>
    expect(problems(`FREQ=DAILY;BYMONTH=${'1'.padStart(490, '0')}`)).toEqual(['must be at most 500 characters']));

  it('reports every problem at once, each at the given path', () => {
    const result = parseRRule('FREQ=SOMETIMES;INTERVAL=0;COUNT=2;UNTIL=20260101;FOO=1', 'recurrence.rrule');
    expect(result).toEqual({
      ok: false,
      error: [
        { path: 'recurrence.rrule', message: '"FOO" is not an RRULE part' },
        { path: 'recurrence.rrule', message: 'FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY (got "SOMETIMES")' },
        { path: 'recurrence.rrule', message: 'INTERVAL must be an integer from 1 to 1000 (got "0")' },
        { path: 'recurrence.rrule', message: 'COUNT and UNTIL cannot both be given' },
      ],
    });
  });
});

describe('normaliseRRule', () => {
  it('upper-cases, drops the RRULE: prefix and surrounding whitespace, and keeps the author\'s part order', () =>
    expect(normaliseRRule('  rrule:byday=mo,fr;freq=weekly ')).toBe('BYDAY=MO,FR;FREQ=WEEKLY'));
});
