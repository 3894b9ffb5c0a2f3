import { z } from 'zod';
import type { TaskEvent, TaskEventType } from '../../domain/task/types.ts';
import { CREATED_FIELDS, STORED_FIELDS, TaskId } from '../task.ts';

/* Payloads of the task events, as stored and as carried in a CloudEvent's `data.payload`. */

export const TaskCreatedPayload = z
  .strictObject({
    task_id: TaskId,
    user_id: z.string(),
    ...CREATED_FIELDS,
    series_id: z.uuid().nullable(),
    occurrence: z.int().min(0),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'TaskCreatedPayload' });

export const TaskUpdatedPayload = z
  .strictObject({
    task_id: TaskId,
    changes: z.strictObject(STORED_FIELDS).partial().describe('Only the fields that changed, with their new values'),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'TaskUpdatedPayload' });

export const TaskCompletedPayload = z.strictObject({ task_id: TaskId, completed_at: z.iso.datetime() }).meta({ id: 'TaskCompletedPayload' });
export const TaskReopenedPayload = z.strictObject({ task_id: TaskId, reopened_at: z.iso.datetime() }).meta({ id: 'TaskReopenedPayload' });
export const TaskDeletedPayload = z.strictObject({ task_id: TaskId, deleted_at: z.iso.datetime() }).meta({ id: 'TaskDeletedPayload' });

export const TASK_EVENT_PAYLOADS = {
  TaskCreated: TaskCreatedPayload,
  TaskUpdated: TaskUpdatedPayload,
  TaskCompleted: TaskCompletedPayload,
  TaskReopened: TaskReopenedPayload,
  TaskDeleted: TaskDeletedPayload,
} as const satisfies Record<TaskEventType, z.ZodType>;

// parseTaskEvent below only compiles while every parsed payload is a valid domain event.

/**
 * Payloads several readers will parse: every reader of the log in one process is handed the same event
 * objects from the latest events read (the task list, the audit, the schedule, the live feed), and each
 * folds them. A payload marked so is parsed once, for all; the parsed event is as readonly as the stored
 * one. Only marked payloads are remembered: a rebuild parses each of millions of events once, and
 * remembering those would only cost.
 */
const parsed = new WeakMap<object, { readonly type: string; readonly event: TaskEvent | null } | null>();

/** Marks an event's payload as one that several readers will parse (see above). */
export function parseOnceForAll(data: unknown): void {
  if (typeof data === 'object' && data !== null && !parsed.has(data)) parsed.set(data, null);
}

/** A stored task event parsed against its schema: the way consumers turn log rows into domain events. */
export function parseTaskEvent(type: string, data: unknown): TaskEvent | null {
  if (typeof data !== 'object' || data === null) return parseTaskPayload(type, data);
  const known = parsed.get(data);
  if (known === undefined) return parseTaskPayload(type, data);
  if (known?.type === type) return known.event;
  const event = parseTaskPayload(type, data);
  parsed.set(data, { type, event });
  return event;
}

function parseTaskPayload(type: string, data: unknown): TaskEvent | null {
  switch (type) {
    case 'TaskCreated': return { type, data: TaskCreatedPayload.parse(data) };
    case 'TaskUpdated': return { type, data: TaskUpdatedPayload.parse(data) };
    case 'TaskCompleted': return { type, data: TaskCompletedPayload.parse(data) };
    case 'TaskReopened': return { type, data: TaskReopenedPayload.parse(data) };
    case 'TaskDeleted': return { type, data: TaskDeletedPayload.parse(data) };
    default: return null;
  }
}
