/**
 * The limits of docs/architecture.md §6.2, in one place so the zod contracts, the read side and the domain agree.
 * Lengths are counted in Unicode code points (see `textLength`).
 */
export const MAX_TITLE_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 10_000;
export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 50;
export const MAX_REMINDERS = 10;
/** One year of minutes: a reminder further ahead than that is a separate task, not a reminder. */
export const MAX_BEFORE_MINUTES = 525_600;
/** About ten weeks of full working days: a larger task is a project, to be split. */
export const MAX_ESTIMATE_MINUTES = 100_000;

export { MAX_RRULE_LENGTH } from '../recurrence/rrule.ts';

/**
 * The first and the last instant a task may name (a due, the instant it becomes overdue, a reminder's fire
 * time): years 0001 to 9999 of UTC, the span every read model can store as PostgreSQL timestamptz (which has
 * no year 0) and ISO 8601 spells with four-digit years. See docs/adr/0022-value-ranges.md.
 */
export const EARLIEST_INSTANT = '0001-01-01T00:00:00.000Z';
export const LATEST_INSTANT = '9999-12-31T23:59:59.999Z';
