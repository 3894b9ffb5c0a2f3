import { z } from 'zod';
import { MinPosition } from './queries.ts';
import {
  TaskCompletedPayload, TaskCreatedPayload, TaskDeletedPayload, TaskReopenedPayload, TaskUpdatedPayload,
} from './events/task-events.ts';
import { InstantInRange, Task } from './task.ts';

/* A task's own events and its state at a past point: read from the event store, never from a read model. */

export const MAX_HISTORY_PAGE_SIZE = 200;
export const DEFAULT_HISTORY_PAGE_SIZE = 50;

// The event store is always up to date with every answered command, so a consistency token is satisfied
// on arrival; it is accepted so a client can send it to every query alike.
const minPosition = MinPosition.optional()
  .describe('Accepted for symmetry with the other queries; always satisfied (the event store is the source)');

export const TaskHistoryQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_HISTORY_PAGE_SIZE).default(DEFAULT_HISTORY_PAGE_SIZE),
  cursor: z.string().min(1).max(200).optional().describe('Opaque: the `next_cursor` of the previous page'),
  min_position: minPosition,
});
export type TaskHistoryQuery = z.output<typeof TaskHistoryQuery>;

/** The point a state is asked for: a task version, or an instant (normalised to UTC). */
export type AsOf = { readonly version: number } | { readonly at: string };

export const TaskStateQuery = z
  .strictObject({
    // Digits only: a coerced `version=` would silently mean version 0.
    version: z.string().regex(/^\d{1,15}$/, 'a task version: a whole number, 0 or more').transform(Number).optional(),
    at: InstantInRange.optional(),
    min_position: minPosition,
  })
  .transform((query, ctx): { as_of: AsOf } => {
    const { version, at } = query;
    if (version !== undefined && at === undefined) return { as_of: { version } };
    if (at !== undefined && version === undefined) return { as_of: { at } };
    ctx.issues.push({ code: 'custom', message: 'give exactly one of version and at', input: query });
    return z.NEVER;
  });
export type TaskStateQuery = z.output<typeof TaskStateQuery>;

export const EventMetadataView = z
  .strictObject({
    user_id: z.string().describe('Who caused the event'),
    correlation_id: z.string(),
    causation_id: z.string().nullable(),
  })
  .meta({ id: 'EventMetadataView' });

const historyEvent = <T extends string, P extends z.ZodType>(type: T, data: P) =>
  z.strictObject({
    event_id: z.uuid(),
    type: z.literal(type),
    version: z.int().min(1).describe('The task version this event made'),
    position: z.int().min(1).describe('Global log position'),
    created_at: z.iso.datetime().describe('When the store recorded the event'),
    // The payload as stored, upcast to its current schema.
    data,
    metadata: EventMetadataView,
  });

export const TaskHistoryEvent = z
  .discriminatedUnion('type', [
    historyEvent('TaskCreated', TaskCreatedPayload),
    historyEvent('TaskUpdated', TaskUpdatedPayload),
    historyEvent('TaskCompleted', TaskCompletedPayload),
    historyEvent('TaskReopened', TaskReopenedPayload),
    historyEvent('TaskDeleted', TaskDeletedPayload),
  ])
  .meta({ id: 'TaskHistoryEvent' });
export type TaskHistoryEvent = z.infer<typeof TaskHistoryEvent>;

export const TaskHistoryPage = z
  .strictObject({
    items: z.array(TaskHistoryEvent).describe('In version order'),
    next_cursor: z.string().nullable().describe('null on the last page'),
  })
  .meta({ id: 'TaskHistoryPage' });
export type TaskHistoryPage = z.infer<typeof TaskHistoryPage>;

export const TaskAsOf = z
  .strictObject({
    version: z.int().min(1).describe('The task version the answer is folded to'),
    as_of: z
      .union([
        z.strictObject({ version: z.int().min(1).describe('As asked; beyond the last version the latest state answers') }),
        z.strictObject({ at: z.iso.datetime().describe('The instant asked for, in UTC') }),
      ])
      .describe('The point in time that was asked for'),
    deleted: z.boolean().describe('Whether the task was deleted at that point'),
    task: Task,
  })
  .meta({ id: 'TaskAsOf' });
export type TaskAsOf = z.infer<typeof TaskAsOf>;
