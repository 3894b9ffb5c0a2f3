import type { FieldError, TaskFields } from '../types.ts';
import { validateDescription } from './description.ts';
import { validateDue } from './due.ts';
import { validatePriority } from './priority.ts';
import { validateRecurrence } from './recurrence.ts';
import { validateReminders } from './reminders.ts';
import { validateTags } from './tags.ts';
import { validateTitle } from './title.ts';

/**
 * Every rule over a whole field set, cross-field ones included, in field order. Accepts fields as sent
 * or already normalised: each rule judges the normalised form, while paths index the input as given.
 */
export function validateFields(fields: TaskFields): FieldError[] {
  return [
    ...validateTitle(fields.title),
    ...validateDescription(fields.description),
    ...validatePriority(fields.priority),
    ...validateTags(fields.tags),
    ...validateDue(fields.due),
    ...validateReminders(fields.reminders, fields.due),
    ...validateRecurrence(fields.recurrence, fields.due),
  ];
}
