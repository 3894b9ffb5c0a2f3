import type { OccurrencesQuery } from '../../contracts/recurrence.ts';
import { err, ok, type Result } from '../../domain/common/result.ts';
import { validateDue } from '../../domain/task/rules/due.ts';
import { validateRecurrence } from '../../domain/task/rules/recurrence.ts';
import type { Due, FieldError, Recurrence } from '../../domain/task/types.ts';

export interface EditedSchedule { readonly due: Due | null; readonly recurrence: Recurrence }

const EDIT_PARAMETERS = ['anchor', 'due_date', 'due_datetime', 'due_timezone'] as const;

/**
 * The schedule a person is editing and has not saved, from the preview's query parameters; null when
 * none is given and the saved task is previewed. Checked by the rules a save would be checked by, so
 * the preview refuses what saving would refuse.
 */
export function editedSchedule(query: OccurrencesQuery): Result<EditedSchedule | null, FieldError[]> {
  if (query.rrule === undefined) {
    const stray = EDIT_PARAMETERS.filter((name) => query[name] !== undefined);
    return stray.length === 0 ? ok(null) : err(stray.map((name) => ({ path: `query.${name}`, message: 'describes an edited schedule: give rrule with it' })));
  }
  const due = editedDue(query);
  if (!due.ok) return due;
  const recurrence: Recurrence = { rrule: query.rrule, anchor: query.anchor ?? 'due' };
  const errors = [...validateDue(due.value), ...validateRecurrence(recurrence, due.value)].map(asQueryError);
  return errors.length > 0 ? err(errors) : ok({ due: due.value, recurrence });
}

function editedDue({ due_date, due_datetime, due_timezone }: OccurrencesQuery): Result<Due | null, FieldError[]> {
  if (due_date !== undefined) {
    return due_datetime === undefined && due_timezone === undefined
      ? ok({ date: due_date })
      : err([{ path: 'query.due_date', message: 'either due_date, or due_datetime with due_timezone, not both' }]);
  }
  if (due_datetime === undefined && due_timezone === undefined) return ok(null);
  if (due_datetime === undefined) return err([{ path: 'query.due_datetime', message: 'needed with due_timezone' }]);
  if (due_timezone === undefined) return err([{ path: 'query.due_timezone', message: 'needed with due_datetime' }]);
  return ok({ datetime: due_datetime, timezone: due_timezone });
}

/** `due.timezone` → `query.due_timezone`, `recurrence.rrule` → `query.rrule`: the names the caller sent. */
function asQueryError({ path, message }: FieldError): FieldError {
  const name = path === 'due' ? 'due_date' : path.replace(/^recurrence\./, '').replace(/^due\./, 'due_');
  return { path: `query.${name}`, message };
}
