import { describe, expect, it } from 'vitest';
import { addDays, civilFromEpochDay, daysInMonth, epochDay, isoWeekday } from './calendar.ts';

describe('calendar arithmetic', () => {
  it('counts days from 1970-01-01', () => {
    expect(epochDay({ year: 1970, month: 1, day: 1 })).toBe(0);
    expect(epochDay({ year: 2026, month: 3, day: 8 })).toBe(Date.UTC(2026, 2, 8) / 86_400_000);
    expect(epochDay({ year: 1969, month: 12, day: 31 })).toBe(-1);
  });

  it('inverts epochDay for every day of four centuries', () => {
    const start = epochDay({ year: 1900, month: 1, day: 1 });
    const mismatches: number[] = [];
    for (let day = start; day < start + 146_097; day += 1) if (epochDay(civilFromEpochDay(day)) !== day) mismatches.push(day);
    expect(mismatches).toEqual([]);
  });

  it('knows month lengths, including leap Februaries', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((month) => daysInMonth(2026, month))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
  });

  it('numbers weekdays the ISO way, Monday 1 to Sunday 7', () => {
    expect(isoWeekday({ year: 2026, month: 3, day: 9 })).toBe(1);
    expect(isoWeekday({ year: 2026, month: 3, day: 8 })).toBe(7);
    expect(isoWeekday({ year: 1970, month: 1, day: 1 })).toBe(4);
    expect(isoWeekday({ year: 1969, month: 12, day: 29 })).toBe(1);
  });

  it('adds days across month and year ends', () =>
    expect(addDays({ year: 2026, month: 12, day: 31 }, 60)).toEqual({ year: 2027, month: 3, day: 1 }));
});
