/**
 * The rules of a task's editable fields, one entry per field: what an absent or cleared field becomes, its
 * stored spelling, and its validation. The field types are `TaskFields` (types.ts); this table is typed
 * against them, so a field added there without a rule here does not compile. Everything that walks "every
 * field" — creation defaults, PATCH semantics, normalising, validating, copying a task's fields into its
 * next occurrence — walks this table instead of naming fields.
 */
import { normaliseRRule } from '../recurrence/rrule.ts';
import { validateDescription } from './rules/description.ts';
import { validateDue } from './rules/due.ts';
import { validatePriority } from './rules/priority.ts';
import { validateRecurrence } from './rules/recurrence.ts';
import { validateReminders } from './rules/reminders.ts';
import { normaliseTags, validateTags } from './rules/tags.ts';
import { validateTitle } from './rules/title.ts';
import { wholeNumberIn } from './rules/whole-number.ts';
import { MAX_ESTIMATE_MINUTES } from './limits.ts';
import type { Due, FieldError, Recurrence, Reminder, TaskFields } from './types.ts';

export type EditableField = keyof TaskFields;

/** A field every task must have: no empty value, so a creation must give it and a PATCH cannot clear it. */
export const REQUIRED_FIELDS = ['title'] as const satisfies readonly EditableField[];
export type RequiredField = (typeof REQUIRED_FIELDS)[number];
/** A field a creation may leave out and a PATCH may clear with `null`: it then takes its empty value. */
export type ClearableField = Exclude<EditableField, RequiredField>;

interface FieldRule<T> {
  /** The stored spelling: two values that mean the same thing normalise to equal JSON. */
  normalise(value: T): T;
  /** Judged on the normalised value; cross-field rules get the whole (requested) field set. */
  validate(value: T, fields: TaskFields): FieldError[];
}

const same = <T>(value: T): T => value;
const estimateMinutes = wholeNumberIn(1, MAX_ESTIMATE_MINUTES);

export const FIELD_RULES: { readonly [K in EditableField]: FieldRule<TaskFields[K]> } = {
  title: { normalise: (title) => title.trim(), validate: validateTitle },
  description: { normalise: same, validate: validateDescription },
  priority: { normalise: same, validate: validatePriority },
  tags: { normalise: normaliseTags, validate: validateTags },
  due: { normalise: (due) => (due === null ? null : normaliseDue(due)), validate: validateDue },
  reminders: { normalise: (reminders) => reminders.map(normaliseReminder), validate: (reminders, fields) => validateReminders(reminders, fields.due) },
  recurrence: {
    normalise: (recurrence) => (recurrence === null ? null : normaliseRecurrence(recurrence)),
    validate: (recurrence, fields) => validateRecurrence(recurrence, fields.due),
  },
  estimate_minutes: { normalise: same, validate: (minutes) => estimateMinutes('estimate_minutes', minutes) },
};

/** What a creation without a field, and a PATCH with `null`, set: a task created with nothing but its title. */
export const EMPTY_FIELDS: { readonly [K in ClearableField]: TaskFields[K] } = {
  description: null,
  priority: 'none',
  tags: [],
  due: null,
  reminders: [],
  recurrence: null,
  estimate_minutes: null,
};

/** Every editable field, in the order errors and events list them. */
export const EDITABLE_FIELDS = Object.keys(FIELD_RULES) as readonly EditableField[];
export const CLEARABLE_FIELDS = Object.keys(EMPTY_FIELDS) as readonly ClearableField[];

type MutableFields = { -readonly [K in EditableField]?: TaskFields[K] };

/** A field set made field by field: `value` is asked once for each editable field. */
export function buildFields(value: <K extends EditableField>(field: K) => TaskFields[K]): TaskFields {
  const fields: MutableFields = {};
  const set = <K extends EditableField>(field: K): void => { fields[field] = value(field); };
  for (const field of EDITABLE_FIELDS) set(field);
  // Every key of TaskFields was set just above.
  return fields as TaskFields;
}

/** Only some fields, each with its value from `value` (undefined leaves the field out). */
export function someFields(fields: readonly EditableField[], value: <K extends EditableField>(field: K) => TaskFields[K] | undefined): Partial<TaskFields> {
  const picked: MutableFields = {};
  const set = <K extends EditableField>(field: K): void => {
    const given = value(field);
    if (given !== undefined) picked[field] = given;
  };
  for (const field of fields) set(field);
  return picked;
}

/** The editable fields of anything that has them (a task, an event payload), and nothing else. */
export function fieldsOf(source: TaskFields): TaskFields {
  return buildFields((field) => source[field]);
}

const EMPTIES: Partial<TaskFields> = EMPTY_FIELDS;

/** A field's value in a partial update: the value itself, or for `null` the field's empty value. */
export type FieldPatch = { readonly [K in EditableField]?: TaskFields[K] | null };

/**
 * PATCH semantics as the domain takes them: an absent field is not changed, `null` clears a field to its
 * empty value (and names a required field, which cannot be cleared, not at all: the contract rejects it).
 */
export function changesFromPatch(patch: FieldPatch): Partial<TaskFields> {
  return someFields(EDITABLE_FIELDS, (field) => {
    const value = patch[field];
    return value === null ? EMPTIES[field] : value;
  });
}

/** A creation's fields: those given, and the empty value of each one left out. */
export function withEmptyFields(given: Pick<TaskFields, RequiredField> & Partial<TaskFields>): TaskFields {
  return { ...EMPTY_FIELDS, title: given.title, ...changesFromPatch(given) };
}

/**
 * The stored form of a field set: title trimmed, tags normalised, rrule in its stored spelling, and the
 * nested objects rebuilt from their known keys only, so stray keys never reach an event and two field
 * sets that mean the same thing compare equal.
 */
export function normaliseFields(fields: TaskFields): TaskFields {
  const normalise = <K extends EditableField>(field: K): TaskFields[K] => FIELD_RULES[field].normalise(fields[field]);
  return buildFields(normalise);
}

/**
 * Every rule over a whole field set, cross-field ones included, in field order. Accepts fields as sent
 * or already normalised: each rule judges the normalised form, while paths index the input as given.
 */
export function validateFields(fields: TaskFields): FieldError[] {
  const validate = <K extends EditableField>(field: K): FieldError[] => FIELD_RULES[field].validate(fields[field], fields);
  return EDITABLE_FIELDS.flatMap(validate);
}

/**
 * A field set with a partial change laid over it: `undefined` (or absence) keeps a field. Only the
 * editable fields are read, so a stray key in a change never leaks.
 */
export function applyChanges(current: TaskFields, changes: Partial<TaskFields>): TaskFields {
  const keep = <K extends EditableField>(field: K): TaskFields[K] => {
    const change = changes[field];
    return change === undefined ? current[field] : change;
  };
  return buildFields(keep);
}

function normaliseDue(due: Due): Due {
  return 'date' in due ? { date: due.date } : { datetime: due.datetime, timezone: due.timezone };
}

function normaliseReminder(reminder: Reminder): Reminder {
  const channels = [...reminder.channels];
  return 'before_minutes' in reminder ? { before_minutes: reminder.before_minutes, channels } : { at: reminder.at, channels };
}

function normaliseRecurrence(recurrence: Recurrence): Recurrence {
  return { rrule: normaliseRRule(recurrence.rrule), anchor: recurrence.anchor };
}
