import { describe, expect, it } from 'vitest';
import { fromRecurrence, NO_REPEAT, toRecurrence } from './recurrence.ts';

describe('the repeat form', () => {
  it('makes the RRULE subset the API takes', () => {
    expect(toRecurrence(NO_REPEAT)).toBeNull();
    expect(toRecurrence({ ...NO_REPEAT, freq: 'DAILY' })).toEqual({ rrule: 'FREQ=DAILY', anchor: 'due' });
    expect(toRecurrence({ ...NO_REPEAT, freq: 'WEEKLY', interval: 2, days: ['FR', 'MO'], anchor: 'completion' }))
      .toEqual({ rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR', anchor: 'completion' });
    expect(toRecurrence({ ...NO_REPEAT, freq: 'MONTHLY', monthDay: 'last', end: 'count', count: 6 })?.rrule).toBe('FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=6');
    expect(toRecurrence({ ...NO_REPEAT, freq: 'MONTHLY', monthDay: 15, end: 'until', until: '2027-06-30' })?.rrule).toBe('FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20270630');
    expect(toRecurrence({ ...NO_REPEAT, freq: 'YEARLY' })?.rrule).toBe('FREQ=YEARLY');
  });

  it('reads back what it made', () => {
    for (const form of [
      { ...NO_REPEAT, freq: 'WEEKLY' as const, interval: 3, days: ['MO' as const, 'WE' as const] },
      { ...NO_REPEAT, freq: 'MONTHLY' as const, monthDay: 'last' as const, end: 'count' as const, count: 12, anchor: 'completion' as const },
      { ...NO_REPEAT, freq: 'DAILY' as const, end: 'until' as const, until: '2027-01-31' },
    ]) {
      expect(fromRecurrence(toRecurrence(form))).toEqual(form);
    }
    expect(fromRecurrence(null)).toEqual(NO_REPEAT);
  });
});
