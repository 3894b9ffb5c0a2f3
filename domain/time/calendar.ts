/**
 * Proleptic Gregorian calendar arithmetic on plain numbers. Kept free of `Date` so that years below 100
 * are not silently remapped to 19xx and no host time zone can leak in.
 */

export interface CivilDate {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  /** 1..31 */
  readonly day: number;
}

export interface CivilDateTime extends CivilDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export const MILLIS_PER_DAY = 86_400_000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function daysInYear(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

/** Days since 1970-01-01 (H. Hinnant's days_from_civil; exact for every year). */
export function epochDay({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The inverse of `epochDay`. */
export function civilFromEpochDay(days: number): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

export function addDays(date: CivilDate, days: number): CivilDate {
  return civilFromEpochDay(epochDay(date) + days);
}

/** ISO weekday number: Monday is 1, Sunday is 7. */
export function isoWeekday(date: CivilDate): number {
  // 1970-01-01 was a Thursday (4).
  return ((((epochDay(date) + 3) % 7) + 7) % 7) + 1;
}

export function compareDates(a: CivilDate, b: CivilDate): number {
  return epochDay(a) - epochDay(b);
}

/** Milliseconds since the epoch of a wall-clock reading taken as if it were UTC. */
export function wallClockMillis(value: CivilDateTime): number {
  return epochDay(value) * MILLIS_PER_DAY + ((value.hour * 60 + value.minute) * 60 + value.second) * 1000;
}

/** The inverse of `wallClockMillis`, dropping sub-second precision. */
export function civilFromWallClockMillis(millis: number): CivilDateTime {
  const days = Math.floor(millis / MILLIS_PER_DAY);
  const secondsOfDay = Math.floor((millis - days * MILLIS_PER_DAY) / 1000);
  return {
    ...civilFromEpochDay(days),
    hour: Math.floor(secondsOfDay / 3600),
    minute: Math.floor((secondsOfDay % 3600) / 60),
    second: secondsOfDay % 60,
  };
}
