import { describe, expect, it } from 'vitest';
import { formatLocalDateTime, isValidDate, isValidInstant, isValidLocalDateTime, parseInstant } from './iso-strings.ts';

describe('isValidDate', () => {
  it.each(['2026-02-28', '2024-02-29', '2000-02-29', '2026-12-31', '0001-01-01'])('accepts %s', (text) =>
    expect(isValidDate(text)).toBe(true));

  it.each([
    ['2026-02-30', 'February has no 30th'],
    ['2026-02-29', '2026 is not a leap year'],
    ['1900-02-29', 'century years are leap only when divisible by 400'],
    ['2026-04-31', 'April has 30 days'],
    ['2026-13-01', 'there is no 13th month'],
    ['2026-00-10', 'there is no month 0'],
    ['2026-01-00', 'there is no day 0'],
    ['2026-1-5', 'fields are zero-padded'],
    ['20260105', 'the basic format is not accepted'],
    ['2026-01-05T00:00', 'a date has no time'],
    [' 2026-01-05', 'surrounding whitespace'],
  ])('refuses %s (%s)', (text) => expect(isValidDate(text)).toBe(false));
});

describe('isValidLocalDateTime', () => {
  it.each(['2026-03-29T02:30', '2026-03-29T23:59:59', '2024-02-29T00:00:00'])('accepts %s', (text) =>
    expect(isValidLocalDateTime(text)).toBe(true));

  it.each([
    ['2026-02-30T09:00', 'not a real date'],
    ['2026-03-29T24:00', 'hour 24'],
    ['2026-03-29T09:60', 'minute 60'],
    ['2026-03-29T23:59:60', 'leap second'],
    ['2026-03-29T09:00Z', 'an offset makes it an instant'],
    ['2026-03-29T09:00+01:00', 'an offset makes it an instant'],
    ['2026-03-29 09:00', 'space instead of T'],
    ['2026-03-29T09:00:00.5', 'fractional seconds'],
    ['2026-03-29T9:00', 'unpadded hour'],
  ])('refuses %s (%s)', (text) => expect(isValidLocalDateTime(text)).toBe(false));
});

describe('isValidInstant', () => {
  it.each(['2026-03-29T01:30:00Z', '2026-03-29T01:30:00.123Z', '2026-03-29T03:30:00+02:00', '2026-03-29T01:30:00-23:59'])(
    'accepts %s', (text) => expect(isValidInstant(text)).toBe(true));

  it.each([
    ['2026-03-29T01:30:00', 'no offset'],
    ['2026-03-29T01:30Z', 'RFC 3339 requires seconds'],
    ['2026-02-30T01:30:00Z', 'not a real date'],
    ['2026-03-29T01:30:00+24:00', 'offset hour out of range'],
    ['2026-03-29T01:30:00+0200', 'offset without colon'],
    ['2026-03-29t01:30:00z', 'lower-case separators'],
    ['yesterday', 'prose'],
  ])('refuses %s (%s)', (text) => expect(isValidInstant(text)).toBe(false));

  it('reads offsets and fractions exactly', () => {
    expect(parseInstant('2026-03-29T03:30:00.5+02:00')).toBe(Date.UTC(2026, 2, 29, 1, 30, 0, 500));
    expect(parseInstant('2026-03-29T01:30:00.123456789Z')).toBe(Date.UTC(2026, 2, 29, 1, 30, 0, 123));
  });
});

it('formats local date-times always with seconds', () =>
  expect(formatLocalDateTime({ year: 2026, month: 3, day: 8, hour: 9, minute: 5, second: 0 })).toBe('2026-03-08T09:05:00'));
