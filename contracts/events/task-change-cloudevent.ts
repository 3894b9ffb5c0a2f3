import { z } from 'zod';
import type { Task } from '../../domain/task/types.ts';
import type { TaskChange } from '../ports/live-feed.ts';
import { TaskId } from '../task.ts';
import { CLOUDEVENT_SOURCE } from './cloudevent.ts';

export const TASK_CHANGED_TYPE = 'com.todo.task.changed';

// The task was folded by the domain's evolve on the publishing side; its shape is the domain's, not re-validated here.
const DomainTask = z.custom<Task>((value) => typeof value === 'object' && value !== null && 'id' in value);

/** A `task-updates` message: one change with the task's new state, as the live feed fans it out. */
export const TaskChangeCloudEvent = z
  .object({
    specversion: z.literal('1.0'),
    id: z.string().min(1),
    source: z.literal(CLOUDEVENT_SOURCE),
    type: z.literal(TASK_CHANGED_TYPE),
    subject: TaskId,
    time: z.iso.datetime(),
    datacontenttype: z.literal('application/json'),
    partitionkey: TaskId,
    sequence: z.int().min(1),
    position: z.int().min(1),
    // W3C trace context of the change (CloudEvents distributed tracing extension); the sidecar may rewrite it.
    traceparent: z.string().optional(),
    data: z.object({
      position: z.int().min(1),
      transaction_id: z.string().regex(/^\d+$/),
      task_id: TaskId,
      version: z.int().min(1),
      event_type: z.enum(['TaskCreated', 'TaskUpdated', 'TaskCompleted', 'TaskReopened', 'TaskDeleted']),
      owner: z.string(),
      task: DomainTask.nullable(),
    }),
  });
export type TaskChangeCloudEvent = z.infer<typeof TaskChangeCloudEvent>;

export function toTaskChangeCloudEvent(change: TaskChange, eventId: string, time: string, traceparent: string | null = null): TaskChangeCloudEvent {
  return {
    specversion: '1.0',
    // One change per event: the event's id, marked, so the two envelopes of one event never share an id.
    id: `${eventId}:change`,
    source: CLOUDEVENT_SOURCE,
    type: TASK_CHANGED_TYPE,
    subject: change.task_id,
    time,
    datacontenttype: 'application/json',
    partitionkey: change.task_id,
    sequence: change.version,
    position: change.position,
    ...(traceparent ? { traceparent } : {}),
    data: { ...change },
  };
}
