/**
 * The RFC 5545 RRULE subset tasks recur by (docs/architecture.md §6.2): FREQ, INTERVAL, BYDAY (with ±n ordinals),
 * BYMONTHDAY (with negatives from the month's end), BYMONTH, COUNT and UNTIL. Anything else is refused
 * rather than ignored, so a rule never means less than its author wrote.
 */
import { err, ok } from '../common/result.ts';
import type { Result } from '../common/result.ts';
import { daysInMonth } from '../time/calendar.ts';
import { formatDate, parseDate } from '../time/iso-strings.ts';
import type { FieldError } from '../task/types.ts';

export const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** In ISO order: the code at index i is ISO weekday i + 1. */
export const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type WeekdayCode = (typeof WEEKDAY_CODES)[number];

export const MAX_RRULE_LENGTH = 500;
export const MAX_INTERVAL = 1000;
export const MAX_COUNT = 10_000;
export const MAX_WEEKDAY_ORDINAL = 53;
/** A month holds at most five of any weekday, so a larger ordinal within a month could never match. */
export const MAX_WEEKDAY_ORDINAL_IN_MONTH = 5;

/** `BYDAY` entry: every such weekday (ordinal null), or the nth (negative: nth from the end) in the period. */
export interface WeekdayRule {
  readonly weekday: WeekdayCode;
  readonly ordinal: number | null;
}

/** `UNTIL` as a date (inclusive, in the task's wall-clock calendar) or as a UTC instant. */
export type RRuleUntil = { readonly date: string } | { readonly instant: string };

export interface ParsedRRule {
  readonly freq: Frequency;
  readonly interval: number;
  /** Empty when the rule has no BYDAY; likewise for the other BY lists. */
  readonly byDay: readonly WeekdayRule[];
  readonly byMonthDay: readonly number[];
  readonly byMonth: readonly number[];
  readonly count: number | null;
  readonly until: RRuleUntil | null;
}

const SUPPORTED_PARTS = ['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'COUNT', 'UNTIL'] as const;
type PartName = (typeof SUPPORTED_PARTS)[number];
const UNSUPPORTED_RFC_PARTS = ['BYSECOND', 'BYMINUTE', 'BYHOUR', 'BYYEARDAY', 'BYWEEKNO', 'BYSETPOS', 'WKST', 'RSCALE', 'SKIP'];

/**
 * The spelling a rule is stored in: keys and values upper-cased, no `RRULE:` prefix, no surrounding
 * whitespace. Only meaningful for text `parseRRule` accepts; part order is the author's.
 */
export function normaliseRRule(text: string): string {
  return text.trim().replace(/^RRULE:/i, '').toUpperCase();
}

/**
 * Parses and validates a rule, reporting every problem found (each as a FieldError at `path`), not just
 * the first, so a client can fix them all in one round trip.
 */
export function parseRRule(text: string, path = 'rrule'): Result<ParsedRRule, FieldError[]> {
  const messages: string[] = [];
  const fail = (message: string): void => void messages.push(message);

  if (text.length > MAX_RRULE_LENGTH) return err([{ path, message: `must be at most ${MAX_RRULE_LENGTH} characters` }]);
  const body = normaliseRRule(text);
  if (body === '') return err([{ path, message: 'is empty; expected a rule such as FREQ=WEEKLY;BYDAY=MO' }]);

  const values = new Map<PartName, string>();
  for (const part of body.split(';')) {
    const separator = part.indexOf('=');
    const name = separator < 0 ? part : part.slice(0, separator);
    if (separator <= 0) fail(part === '' ? 'has an empty part (a stray ";")' : `"${part}" is not NAME=VALUE`);
    else if (!isSupportedPart(name)) fail(UNSUPPORTED_RFC_PARTS.includes(name) ? `${name} is not supported` : `"${name}" is not an RRULE part`);
    else if (values.has(name)) fail(`${name} is given more than once`);
    else values.set(name, part.slice(separator + 1));
  }

  const freq = readPart(values, 'FREQ', fail, readFrequency);
  if (!values.has('FREQ')) fail('FREQ is required (DAILY, WEEKLY, MONTHLY or YEARLY)');
  const interval = readPart(values, 'INTERVAL', fail, (value) => readInteger(value, 'INTERVAL', 1, MAX_INTERVAL)) ?? 1;
  const byDay = readPart(values, 'BYDAY', fail, (value) => readList(value, 'BYDAY', readWeekdayRule)) ?? [];
  const byMonthDay = readPart(values, 'BYMONTHDAY', fail, (value) => readList(value, 'BYMONTHDAY', readMonthDay)) ?? [];
  const byMonth = readPart(values, 'BYMONTH', fail, (value) => readList(value, 'BYMONTH', (item) => readInteger(item, 'BYMONTH', 1, 12))) ?? [];
  const count = readPart(values, 'COUNT', fail, (value) => readInteger(value, 'COUNT', 1, MAX_COUNT));
  const until = readPart(values, 'UNTIL', fail, readUntil);

  if (values.has('COUNT') && values.has('UNTIL')) fail('COUNT and UNTIL cannot both be given');
  if (freq) for (const message of combinationProblems(freq, byDay, byMonthDay, byMonth)) fail(message);

  if (messages.length > 0 || !freq) return err(messages.map((message) => ({ path, message })));
  return ok({ freq, interval, byDay, byMonthDay, byMonth, count: count ?? null, until: until ?? null });
}

/** Rules the parts obey only in combination; each would otherwise yield a rule with no occurrences. */
function combinationProblems(freq: Frequency, byDay: readonly WeekdayRule[], byMonthDay: readonly number[], byMonth: readonly number[]): string[] {
  const problems: string[] = [];
  const ordinals = byDay.filter((rule) => rule.ordinal !== null);
  if (ordinals.length > 0 && (freq === 'DAILY' || freq === 'WEEKLY')) {
    problems.push(`BYDAY ordinals such as ${describeWeekdayRule(ordinals[0])} need FREQ=MONTHLY or FREQ=YEARLY`);
  }
  const withinMonth = freq === 'MONTHLY' || (freq === 'YEARLY' && byMonth.length > 0);
  const tooLarge = ordinals.find((rule) => Math.abs(rule.ordinal ?? 0) > MAX_WEEKDAY_ORDINAL_IN_MONTH);
  if (withinMonth && tooLarge) {
    problems.push(`BYDAY ordinal ${describeWeekdayRule(tooLarge)} counts within a month, so it must be from -5 to 5`);
  }
  if (freq === 'WEEKLY' && byMonthDay.length > 0) problems.push('BYMONTHDAY cannot be used with FREQ=WEEKLY');
  const months = byMonth.length > 0 ? byMonth : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  // 2024 is a leap year: February's 29th exists in some years, which is enough for the rule to be useful.
  const fits = (monthDay: number): boolean => months.some((month) => Math.abs(monthDay) <= daysInMonth(2024, month));
  if (byMonthDay.length > 0 && !byMonthDay.some(fits)) {
    problems.push(`BYMONTHDAY=${byMonthDay.join(',')} never falls in BYMONTH=${byMonth.join(',')}`);
  }
  return problems;
}

type Read<T> = { readonly value: T } | { readonly problem: string };

function readPart<T>(values: ReadonlyMap<PartName, string>, name: PartName, fail: (message: string) => void, read: (value: string) => Read<T>): T | undefined {
  const value = values.get(name);
  if (value === undefined) return undefined;
  if (value === '') {
    fail(`${name} has no value`);
    return undefined;
  }
  const result = read(value);
  if ('problem' in result) {
    fail(result.problem);
    return undefined;
  }
  return result.value;
}

function readFrequency(value: string): Read<Frequency> {
  const freq = FREQUENCIES.find((candidate) => candidate === value);
  return freq ? { value: freq } : { problem: `FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY (got "${value}")` };
}

function readInteger(value: string, name: string, min: number, max: number): Read<number> {
  const number = /^[+-]?\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (Number.isInteger(number) && number >= min && number <= max) return { value: number };
  return { problem: `${name} must be an integer from ${min} to ${max} (got "${value}")` };
}

function readMonthDay(value: string): Read<number> {
  const read = readInteger(value, 'BYMONTHDAY', -31, 31);
  if ('value' in read && read.value !== 0) return read;
  return { problem: `BYMONTHDAY entries must be from 1 to 31 or -31 to -1 (got "${value}")` };
}

function readWeekdayRule(value: string): Read<WeekdayRule> {
  const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(value);
  const weekday = WEEKDAY_CODES.find((code) => code === match?.[2]);
  if (!match || !weekday) return { problem: `BYDAY entries are MO, TU, WE, TH, FR, SA or SU, optionally preceded by ±n (got "${value}")` };
  if (match[1] === undefined) return { value: { weekday, ordinal: null } };
  const ordinal = Number(match[1]);
  if (ordinal === 0 || Math.abs(ordinal) > MAX_WEEKDAY_ORDINAL) {
    return { problem: `BYDAY ordinal must be from 1 to ${MAX_WEEKDAY_ORDINAL} or -${MAX_WEEKDAY_ORDINAL} to -1 (got "${value}")` };
  }
  return { value: { weekday, ordinal } };
}

function readUntil(value: string): Read<RRuleUntil> {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value);
  const date = match ? parseDate(`${match[1]}-${match[2]}-${match[3]}`) : null;
  if (!match || !date) return { problem: `UNTIL must be a date YYYYMMDD or a UTC date-time YYYYMMDDTHHMMSSZ (got "${value}")` };
  if (match[4] === undefined) return { value: { date: formatDate(date) } };
  // A floating UNTIL (no Z) would be read in whichever zone happened to evaluate it.
  if (match[7] === undefined) return { problem: `UNTIL with a time must be in UTC and end in Z (got "${value}")` };
  const [hour, minute, second] = [Number(match[4]), Number(match[5]), Number(match[6])];
  if (hour > 23 || minute > 59 || second > 59) return { problem: `UNTIL has an invalid time of day (got "${value}")` };
  return { value: { instant: `${formatDate(date)}T${match[4]}:${match[5]}:${match[6]}Z` } };
}

function readList<T>(value: string, name: string, readItem: (item: string) => Read<T>): Read<T[]> {
  const parsed: T[] = [];
  const seen = new Set<string>();
  for (const item of value.split(',')) {
    if (item === '') return { problem: `${name} has an empty entry` };
    const read = readItem(item);
    if ('problem' in read) return read;
    // Compared after parsing, so that 1 and 01 (or 2MO and +2MO) count as the same entry.
    const key = JSON.stringify(read.value);
    if (seen.has(key)) return { problem: `${name} lists "${item}" more than once` };
    seen.add(key);
    parsed.push(read.value);
  }
  return { value: parsed };
}

function isSupportedPart(name: string): name is PartName {
  return SUPPORTED_PARTS.some((part) => part === name);
}

function describeWeekdayRule(rule: WeekdayRule | undefined): string {
  return rule ? `${rule.ordinal ?? ''}${rule.weekday}` : '';
}
