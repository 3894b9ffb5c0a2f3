import { z } from 'zod';
import { MAX_RRULE_LENGTH } from '../domain/task/limits.ts';
import { ANCHORS } from '../domain/task/types.ts';
import { MinPosition } from './queries.ts';
import { Due, TaskId } from './task.ts';

/* The preview of a recurring task's next occurrences. */

export const MAX_OCCURRENCE_PREVIEW = 100;
export const DEFAULT_OCCURRENCE_PREVIEW = 10;

export const OccurrencesQuery = z.strictObject({
  count: z.coerce.number().int().min(1).max(MAX_OCCURRENCE_PREVIEW).default(DEFAULT_OCCURRENCE_PREVIEW),
  min_position: MinPosition.optional().describe('Wait until the read model has this position (read your writes)'),
  rrule: z.string().min(1).max(MAX_RRULE_LENGTH).optional()
    .describe('Preview an edited schedule instead of the saved one: this rule, with `anchor` and the due given beside it (no due_* parameter: no due)'),
  anchor: z.enum(ANCHORS).optional().describe('With `rrule`: count from the due (the default) or from the completion'),
  due_date: z.string().max(32).optional().describe('With `rrule`: a date-only due, YYYY-MM-DD'),
  due_datetime: z.string().max(32).optional().describe('With `rrule` and `due_timezone`: a wall-clock due, YYYY-MM-DDTHH:MM[:SS]'),
  due_timezone: z.string().min(1).max(64).optional().describe('With `rrule` and `due_datetime`: the due\'s IANA time zone'),
});
export type OccurrencesQuery = z.output<typeof OccurrencesQuery>;

export const Occurrence = z
  .strictObject({
    occurrence: z.int().min(1).describe('Index in the series: the first task is 0'),
    due: Due,
    due_at: z.iso.datetime().describe('The instant the due means (a date-only due: 00:00 UTC; a wall time that a DST gap skips: moved past the gap)'),
  })
  .meta({ id: 'Occurrence' });

export const TaskOccurrences = z
  .strictObject({
    task_id: TaskId,
    series_id: z.uuid().nullable().describe('The series the next tasks belong to (the first task\'s id); null when the task does not recur'),
    occurrences: z.array(Occurrence).describe(
      'The next tasks\' dues: the first as if the task were completed now (or when it was completed), each later one as if its '
      + 'predecessor were completed when due. Empty when the task does not recur or its series has ended; shorter than `count` '
      + 'when COUNT or UNTIL ends it sooner',
    ),
  })
  .meta({ id: 'TaskOccurrences' });
export type TaskOccurrences = z.infer<typeof TaskOccurrences>;
