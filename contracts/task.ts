import { z } from 'zod';
import {
  MAX_BEFORE_MINUTES, MAX_DESCRIPTION_LENGTH, MAX_REMINDERS, MAX_RRULE_LENGTH, MAX_TAG_LENGTH, MAX_TAGS, MAX_TITLE_LENGTH,
} from '../domain/task/limits.ts';
import {
  ANCHORS, CHANNELS, PRIORITIES, type Due as DomainDue, type Recurrence as DomainRecurrence, type Reminder as DomainReminder,
} from '../domain/task/types.ts';

/*
 * Shapes of a task on the wire. Structure and limits are checked here; rules that need the domain
 * (calendar validity, IANA zones, RRULE grammar, cross-field rules) are checked by the decider and come
 * back as the same 400 problem with field paths.
 */

export const TaskId = z.uuid().meta({ id: 'TaskId', description: 'Task id (UUID)' });
export const Priority = z.enum(PRIORITIES).meta({ id: 'Priority', description: 'Ordered: none < low < medium < high < urgent' });
export const Channel = z.enum(CHANNELS).meta({ id: 'Channel' });

export const Due = z
  .union([
    z.strictObject({ date: z.iso.date().describe('Calendar date, YYYY-MM-DD') }),
    z.strictObject({
      datetime: z.iso.datetime({ local: true }).describe('Wall-clock date-time without offset, YYYY-MM-DDTHH:MM[:SS]'),
      timezone: z.string().min(1).max(64).describe('IANA time zone, e.g. Europe/Berlin'),
    }),
  ])
  .meta({ id: 'Due', description: 'A due date, or a wall-clock date-time in an IANA time zone' }) satisfies z.ZodType<DomainDue>;

const channels = z.array(Channel).min(1).max(CHANNELS.length).default(['email']);

export const Reminder = z
  .union([
    z.strictObject({
      before_minutes: z.int().min(0).max(MAX_BEFORE_MINUTES).describe('Minutes before the due time'),
      channels,
    }),
    z.strictObject({ at: z.iso.datetime({ offset: true }).describe('Absolute instant, ISO 8601 with offset'), channels }),
  ])
  .meta({ id: 'Reminder' }) satisfies z.ZodType<DomainReminder>;

export const Recurrence = z
  .strictObject({
    rrule: z.string().min(1).max(MAX_RRULE_LENGTH).describe('RFC 5545 RRULE subset: FREQ, INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, COUNT, UNTIL'),
    anchor: z.enum(ANCHORS).default('due').describe('Count the next occurrence from the due date or from the completion'),
  })
  .meta({ id: 'Recurrence' }) satisfies z.ZodType<DomainRecurrence>;

export const Title = z.string().min(1).max(MAX_TITLE_LENGTH);
export const Description = z.string().max(MAX_DESCRIPTION_LENGTH);
// Raw tags may repeat before they are normalised; the domain enforces the limit after normalising.
export const Tags = z.array(z.string().max(MAX_TAG_LENGTH)).max(MAX_TAGS * 5);
export const Reminders = z.array(Reminder).max(MAX_REMINDERS);

export const Task = z
  .strictObject({
    id: TaskId,
    title: z.string(),
    description: z.string().nullable(),
    status: z.enum(['open', 'completed']),
    priority: Priority,
    tags: z.array(z.string()),
    due: Due.nullable(),
    reminders: z.array(Reminder),
    recurrence: Recurrence.nullable(),
    series_id: z.uuid().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    completed_at: z.iso.datetime().nullable(),
    version: z.int().min(1),
  })
  .meta({ id: 'Task' });
export type TaskView = z.infer<typeof Task>;
