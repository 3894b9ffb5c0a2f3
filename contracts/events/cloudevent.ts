import { z } from 'zod';
import type { TaskEventType } from '../../domain/task/types.ts';
import { TaskId } from '../task.ts';

export const CLOUDEVENT_SOURCE = '/todo/write-side';
export const CLOUDEVENT_CONTENT_TYPE = 'application/cloudevents+json';

export const CLOUDEVENT_TYPES: Readonly<Record<TaskEventType, string>> = {
  TaskCreated: 'com.todo.task.created',
  TaskUpdated: 'com.todo.task.updated',
  TaskCompleted: 'com.todo.task.completed',
  TaskReopened: 'com.todo.task.reopened',
  TaskDeleted: 'com.todo.task.deleted',
};

export const TaskEventData = z
  .strictObject({
    task_id: TaskId,
    user_id: z.string(),
    sequence: z.int().min(1).describe('The task version this event produced'),
    idempotency_key: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()).describe('The event payload, see the Task*Payload schemas'),
  })
  .meta({ id: 'TaskEventData' });

/** Our CloudEvents 1.0 envelope (structured mode), as published to the bus. */
export const TaskCloudEvent = z
  .strictObject({
    specversion: z.literal('1.0'),
    id: z.uuid(),
    source: z.literal(CLOUDEVENT_SOURCE),
    type: z.enum(Object.values(CLOUDEVENT_TYPES) as [string, ...string[]]),
    subject: TaskId,
    time: z.iso.datetime(),
    datacontenttype: z.literal('application/json'),
    partitionkey: TaskId,
    sequence: z.int().min(1),
    traceparent: z.string().optional(),
    data: TaskEventData,
  })
  .meta({ id: 'TaskCloudEvent' });
export type TaskCloudEvent = z.infer<typeof TaskCloudEvent>;

interface EventLike {
  readonly event_id: string;
  readonly stream_id: string;
  readonly version: number;
  readonly type: TaskEventType;
  readonly data: Record<string, unknown>;
  readonly created_at: string;
  readonly metadata: { readonly user_id: string; readonly idempotency_key: string | null; readonly traceparent: string | null };
}

export function toCloudEvent(event: EventLike): TaskCloudEvent {
  return {
    specversion: '1.0',
    id: event.event_id,
    source: CLOUDEVENT_SOURCE,
    type: CLOUDEVENT_TYPES[event.type],
    subject: event.stream_id,
    time: event.created_at,
    datacontenttype: 'application/json',
    partitionkey: event.stream_id,
    sequence: event.version,
    ...(event.metadata.traceparent ? { traceparent: event.metadata.traceparent } : {}),
    data: {
      task_id: event.stream_id,
      user_id: event.metadata.user_id,
      sequence: event.version,
      idempotency_key: event.metadata.idempotency_key,
      payload: event.data,
    },
  };
}
