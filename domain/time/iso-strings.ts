/**
 * The ISO 8601 spellings the task model accepts, parsed strictly: a string that matches the pattern but
 * names no real moment (2026-02-30, 24:00) is invalid, not rolled over as `Date.parse` would.
 */
import { daysInMonth, wallClockMillis } from './calendar.ts';
import type { CivilDate, CivilDateTime } from './calendar.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
// RFC 3339 requires seconds whenever an offset is present (the same rule zod's `iso.datetime` applies).
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** `YYYY-MM-DD`, a real date of the proleptic Gregorian calendar (years 0000-9999). */
export function parseDate(text: string): CivilDate | null {
  const match = DATE.exec(text);
  if (!match) return null;
  return civilDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`, without offset: a reading of a wall clock. */
export function parseLocalDateTime(text: string): CivilDateTime | null {
  const match = LOCAL_DATE_TIME.exec(text);
  if (!match) return null;
  const date = civilDate(Number(match[1]), Number(match[2]), Number(match[3]));
  const time = clockTime(Number(match[4]), Number(match[5]), Number(match[6] ?? '0'));
  return date && time ? { ...date, ...time } : null;
}

/** An RFC 3339 timestamp with `Z` or a `±HH:MM` offset, as milliseconds since the epoch. */
export function parseInstant(text: string): number | null {
  const match = INSTANT.exec(text);
  if (!match) return null;
  const date = civilDate(Number(match[1]), Number(match[2]), Number(match[3]));
  const time = clockTime(Number(match[4]), Number(match[5]), Number(match[6]));
  if (!date || !time) return null;
  const millis = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offsetHours = Number(match[9] ?? '0');
  const offsetMinutes = Number(match[10] ?? '0');
  if (offsetHours > 23 || offsetMinutes > 59) return null;
  const offset = (match[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return wallClockMillis({ ...date, ...time }) + millis - offset;
}

export function isValidDate(text: string): boolean {
  return parseDate(text) !== null;
}

export function isValidLocalDateTime(text: string): boolean {
  return parseLocalDateTime(text) !== null;
}

export function isValidInstant(text: string): boolean {
  return parseInstant(text) !== null;
}

export function formatDate({ year, month, day }: CivilDate): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Always with seconds, so that every formatted value has one spelling and sorts as text. */
export function formatLocalDateTime(value: CivilDateTime): string {
  return `${formatDate(value)}T${pad(value.hour, 2)}:${pad(value.minute, 2)}:${pad(value.second, 2)}`;
}

/** UTC with milliseconds, the spelling `Date.prototype.toISOString` uses. */
export function formatInstant(epochMillis: number): string {
  return new Date(epochMillis).toISOString();
}

function civilDate(year: number, month: number, day: number): CivilDate | null {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

function clockTime(hour: number, minute: number, second: number): { hour: number; minute: number; second: number } | null {
  // Leap seconds (:60) are refused: no zone database or clock we run against can represent them.
  if (hour > 23 || minute > 59 || second > 59) return null;
  return { hour, minute, second };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
