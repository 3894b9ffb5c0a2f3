import { parseRRule } from '../../recurrence/rrule.ts';
import { ANCHORS } from '../types.ts';
import type { Due, FieldError, Recurrence } from '../types.ts';

/** Needs the due date because a series anchored on `due` counts its occurrences from it. */
export function validateRecurrence(recurrence: Recurrence | null, due: Due | null): FieldError[] {
  if (recurrence === null) return [];
  const parsed = parseRRule(recurrence.rrule, 'recurrence.rrule');
  const errors: FieldError[] = parsed.ok ? [] : [...parsed.error];
  if (!ANCHORS.includes(recurrence.anchor)) {
    errors.push({ path: 'recurrence.anchor', message: `must be one of ${ANCHORS.join(', ')}` });
  } else if (recurrence.anchor === 'due' && due === null) {
    errors.push({ path: 'recurrence.anchor', message: 'anchor "due" needs the task to have a due date; set due, or anchor on completion' });
  }
  return errors;
}
