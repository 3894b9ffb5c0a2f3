import { z } from 'zod';
import { Description, Due, Priority, Recurrence, Reminders, Tags, TaskId, Title } from './task.ts';

export const CreateTaskBody = z
  .strictObject({
    id: TaskId.optional().describe('Client-chosen id: creating the same id again answers the first result'),
    title: Title,
    description: Description.nullable().optional(),
    priority: Priority.optional(),
    tags: Tags.optional(),
    due: Due.nullable().optional(),
    reminders: Reminders.optional(),
    recurrence: Recurrence.nullable().optional(),
  })
  .meta({ id: 'CreateTaskBody' });
export type CreateTaskBody = z.infer<typeof CreateTaskBody>;

/** Partial update: an absent field is kept, `null` clears it (priority back to none, tags and reminders to empty). */
export const UpdateTaskBody = z
  .strictObject({
    title: Title.optional(),
    description: Description.nullable().optional(),
    priority: Priority.nullable().optional(),
    tags: Tags.nullable().optional(),
    due: Due.nullable().optional(),
    reminders: Reminders.nullable().optional(),
    recurrence: Recurrence.nullable().optional(),
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
