import { z } from 'zod';
import { CLEARABLE_COMMAND_FIELDS, TaskId, Title } from './task.ts';

export const CreateTaskBody = z
  .strictObject({
    id: TaskId.optional().describe('Client-chosen id: creating the same id again answers the first result'),
    title: Title,
    ...CLEARABLE_COMMAND_FIELDS,
  })
  .meta({ id: 'CreateTaskBody' });
export type CreateTaskBody = z.infer<typeof CreateTaskBody>;

/** Partial update: an absent field is kept, `null` clears it (priority back to none, tags and reminders to empty). */
export const UpdateTaskBody = z
  .strictObject({
    title: Title.optional(),
    ...CLEARABLE_COMMAND_FIELDS,
  })
  .meta({ id: 'UpdateTaskBody' });
export type UpdateTaskBody = z.infer<typeof UpdateTaskBody>;

export const CommandAccepted = z
  .strictObject({
    task_id: TaskId,
    version: z.int().min(0).describe('The stream version after the command'),
    position: z.int().min(0).describe('Global log position: a consistency token for ?min_position'),
  })
  .meta({ id: 'CommandAccepted' });
export type CommandAccepted = z.infer<typeof CommandAccepted>;

export const TaskIdParams = z.strictObject({ id: TaskId });

/** If-Match carries the version the client last saw; a quoted ETag form is accepted too. */
export const IfMatchHeader = z
  .string()
  .regex(/^(W\/)?"?\d+"?$/, 'If-Match must be a task version, e.g. 3 or "3"')
  .transform((value) => Number.parseInt(value.replace(/^W\//, '').replaceAll('"', ''), 10));

export const IdempotencyKeyHeader = z.string().min(1).max(200);
