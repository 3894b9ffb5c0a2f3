import { z } from 'zod';
import { isInstantTextInRange, OUT_OF_RANGE } from '../domain/task/rules/instant-range.ts';
import {
  EARLIEST_INSTANT, LATEST_INSTANT, MAX_BEFORE_MINUTES, MAX_DESCRIPTION_LENGTH, MAX_ESTIMATE_MINUTES, MAX_REMINDERS, MAX_RRULE_LENGTH, MAX_TAG_LENGTH, MAX_TAGS, MAX_TITLE_LENGTH,
} from '../domain/task/limits.ts';
import { CLEARABLE_FIELDS, EDITABLE_FIELDS, EMPTY_FIELDS, type ClearableField, type EditableField } from '../domain/task/fields.ts';
import {
  ANCHORS, CHANNELS, PRIORITIES, type Due as DomainDue, type Recurrence as DomainRecurrence, type Reminder as DomainReminder,
  type TaskFields,
} from '../domain/task/types.ts';

/*
 * Shapes of a task on the wire. Structure and limits are checked here; rules that need the domain
 * (calendar validity, IANA zones, RRULE grammar, cross-field rules) are checked by the decider and come
 * back as the same 400 problem with field paths.
 */

export const TaskId = z.uuid().meta({ id: 'TaskId', description: 'Task id (UUID)' });
export const Priority = z.enum(PRIORITIES).meta({ id: 'Priority', description: 'Ordered: none < low < medium < high < urgent' });
export const Channel = z.enum(CHANNELS).meta({ id: 'Channel' });

/*
 * The span of instants a task may name (see limits.ts). A due's exact instant depends on its zone and is
 * judged by the domain; here a date or wall-clock reading must at least fall within the span's years.
 */
const FIRST_DAY = EARLIEST_INSTANT.slice(0, 10);
const LAST_DAY = LATEST_INSTANT.slice(0, 10);
const withinYears = (value: string): boolean => value.slice(0, 10) >= FIRST_DAY && value.slice(0, 10) <= LAST_DAY;
const yearsMessage = `must lie within the years ${FIRST_DAY.slice(0, 4)} to ${LAST_DAY.slice(0, 4)}`;

/** An RFC 3339 instant with offset, normalised to UTC, within the span of instants a task may name. */
export const InstantInRange = z.iso.datetime({ offset: true })
  .transform((value) => new Date(value).toISOString())
  .refine(isInstantTextInRange, OUT_OF_RANGE);

/**
 * The shape of a due. As a command sends it, its date or reading must fall in the span's years; as stored
 * (events, responses) any calendar date reads, so an event appended before the span existed still folds.
 */
const dueShape = (input: boolean) => {
  const years = <T extends z.ZodString | z.ZodISODate | z.ZodISODateTime>(schema: T) => (input ? schema.refine(withinYears, yearsMessage) : schema);
  return z.union([
    z.strictObject({ date: years(z.iso.date()).describe(`Calendar date, YYYY-MM-DD${input ? `, ${FIRST_DAY} to ${LAST_DAY} (its end too)` : ''}`) }),
    z.strictObject({
      datetime: years(z.iso.datetime({ local: true }))
        .describe(`Wall-clock date-time without offset, YYYY-MM-DDTHH:MM[:SS]${input ? '; its instant in its zone within the span' : ''}`),
      timezone: z.string().min(1).max(64).describe('IANA time zone, e.g. Europe/Berlin'),
    }),
  ]);
};

export const Due = dueShape(false)
  .meta({ id: 'Due', description: 'A due date, or a wall-clock date-time in an IANA time zone' }) satisfies z.ZodType<DomainDue>;
export const DueInput = dueShape(true)
  .meta({ id: 'DueInput', description: `A due date, or a wall-clock date-time in an IANA time zone; it and its end lie within ${EARLIEST_INSTANT} to ${LATEST_INSTANT}` }) satisfies z.ZodType<DomainDue>;

const channels = z.array(Channel).min(1).max(CHANNELS.length).default(['email']);

/** The shape of a reminder; as a command sends it, an `at` lies in the span of instants (see `dueShape`). */
const reminderShape = (input: boolean) => z.union([
  z.strictObject({
    before_minutes: z.int().min(0).max(MAX_BEFORE_MINUTES).describe('Minutes before the due time'),
    channels,
  }),
  z.strictObject({
    at: (input ? z.iso.datetime({ offset: true }).refine(isInstantTextInRange, OUT_OF_RANGE) : z.iso.datetime({ offset: true }))
      .describe(`Absolute instant, ISO 8601 with offset${input ? `, from ${EARLIEST_INSTANT} to ${LATEST_INSTANT}` : ''}`),
    channels,
  }),
]);

export const Reminder = reminderShape(false).meta({ id: 'Reminder' }) satisfies z.ZodType<DomainReminder>;
export const ReminderInput = reminderShape(true)
  .meta({ id: 'ReminderInput', description: 'A reminder: before the due, or at an instant; it fires within the span of instants' }) satisfies z.ZodType<DomainReminder>;

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
export const Reminders = z.array(ReminderInput).max(MAX_REMINDERS);

/**
 * Each editable field on the wire, once: `input` is what a command may send (the value, never null: null
 * is how a command clears a field), `stored` what events, the API and the read models carry. Typed against
 * the domain's TaskFields, so a new field does not compile until it has both. Commands, event payloads,
 * the task response, the audit entry and the OpenAPI document are all built from this table.
 */
const FIELD_SCHEMAS = {
  title: { input: Title, stored: z.string() },
  description: { input: Description, stored: z.string().nullable() },
  priority: { input: Priority, stored: Priority },
  tags: { input: Tags, stored: z.array(z.string()) },
  due: { input: DueInput, stored: Due.nullable() },
  reminders: { input: Reminders, stored: z.array(Reminder) },
  recurrence: { input: Recurrence, stored: Recurrence.nullable() },
  estimate_minutes: {
    input: z.int().min(1).max(MAX_ESTIMATE_MINUTES).describe('How long the task should take, in minutes'),
    stored: z.int().nullable(),
  },
} as const satisfies { readonly [K in EditableField]: { readonly input: z.ZodType; readonly stored: z.ZodType<TaskFields[K]> } };

type Schemas = typeof FIELD_SCHEMAS;

/** An object shape over some fields, each key's schema made from that field's schemas. */
function shapeOf<F extends EditableField>(
  fields: readonly F[],
  make: (schemas: { readonly input: z.ZodType; readonly stored: z.ZodType }, field: F) => z.ZodType,
) {
  return Object.fromEntries(fields.map((field) => [field, make(FIELD_SCHEMAS[field], field)]));
}

/** The fields as events, the API and read models carry them: every one present, empty ones as null or []. */
export const STORED_FIELDS = shapeOf(EDITABLE_FIELDS, (schemas) => schemas.stored) as { readonly [K in EditableField]: Schemas[K]['stored'] };

/** The editable fields as the wire carries them. */
export type StoredFields = z.infer<z.ZodObject<typeof STORED_FIELDS>>;

/**
 * The fields of a stored creation. One stored before a field existed has no value for it: it reads as the
 * field's empty value, as a creation that left the field out would have stored it. (Renaming or reshaping
 * a field still needs an upcaster, see events/upcast.ts.)
 */
export const CREATED_FIELDS = {
  ...STORED_FIELDS,
  ...(shapeOf(CLEARABLE_FIELDS, (schemas, field) => schemas.stored.default(EMPTY_FIELDS[field])) as {
    readonly [K in ClearableField]: z.ZodDefault<Schemas[K]['stored']>;
  }),
};

/** A command's clearable fields: each optional, and null to clear it (the title is required, and never null). */
export const CLEARABLE_COMMAND_FIELDS = shapeOf(CLEARABLE_FIELDS, (schemas) => schemas.input.nullable().optional()) as {
  readonly [K in ClearableField]: z.ZodOptional<z.ZodNullable<Schemas[K]['input']>>;
};

export const Task = z
  .strictObject({
    id: TaskId,
    ...STORED_FIELDS,
    status: z.enum(['open', 'completed']),
    series_id: z.uuid().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    completed_at: z.iso.datetime().nullable(),
    version: z.int().min(1),
  })
  .meta({ id: 'Task' });
export type TaskView = z.infer<typeof Task>;
