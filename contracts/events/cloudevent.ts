import { z } from 'zod';
import type { TaskEventType } from '../../domain/task/types.ts';
import { TaskId } from '../task.ts';
import type { StoredEvent } from './stored-event.ts';

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
    // Extensions that let a subscriber rebuild the stored event exactly (projectors key on them).
    position: z.int().min(1).describe('The event\'s global log position'),
    transactionid: z.string().regex(/^\d+$/).describe('The xid8 of the appending transaction: the first half of the log order'),
    schemaversion: z.int().min(1),
    correlationid: z.string(),
    causationid: z.string().optional(),
    requestid: z.string().optional(),
    // Where the actor's reminders go (the notification service sends them); absent on old events.
    actoremail: z.string().optional(),
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
  readonly position: number;
  readonly transaction_id: string;
  readonly schema_version: number;
  readonly metadata: {
    readonly user_id: string;
    readonly idempotency_key: string | null;
    readonly traceparent: string | null;
    readonly correlation_id: string;
    readonly causation_id: string | null;
    readonly request_id: string | null;
    readonly user_email?: string | null;
  };
}

export function toCloudEvent(event: EventLike): TaskCloudEvent {
  return { ...cloudEventEnvelope(event), type: CLOUDEVENT_TYPES[event.type] };
}

/**
 * The envelope of any stored event but its CloudEvent type: the one mapping from the store to the bus, also
 * used by the event-log export (which carries events of every type, not only the task events the bus has).
 */
export function cloudEventEnvelope(event: Omit<EventLike, 'type'>): Omit<TaskCloudEvent, 'type'> {
  return {
    specversion: '1.0',
    id: event.event_id,
    source: CLOUDEVENT_SOURCE,
    subject: event.stream_id,
    time: event.created_at,
    datacontenttype: 'application/json',
    partitionkey: event.stream_id,
    sequence: event.version,
    ...(event.metadata.traceparent ? { traceparent: event.metadata.traceparent } : {}),
    position: event.position,
    transactionid: event.transaction_id,
    schemaversion: event.schema_version,
    correlationid: event.metadata.correlation_id,
    ...(event.metadata.causation_id ? { causationid: event.metadata.causation_id } : {}),
    ...(event.metadata.request_id ? { requestid: event.metadata.request_id } : {}),
    ...(event.metadata.user_email ? { actoremail: event.metadata.user_email } : {}),
    data: {
      task_id: event.stream_id,
      user_id: event.metadata.user_id,
      sequence: event.version,
      idempotency_key: event.metadata.idempotency_key,
      payload: event.data,
    },
  };
}

const EVENT_TYPES_BY_CLOUDEVENT_TYPE = new Map(Object.entries(CLOUDEVENT_TYPES).map(([stored, cloud]) => [cloud, stored]));

/** The stored event a CloudEvent of ours was made from: what a subscriber hands its projector. */
export function fromCloudEvent(event: TaskCloudEvent): StoredEvent {
  const type = EVENT_TYPES_BY_CLOUDEVENT_TYPE.get(event.type);
  if (!type) throw new Error(`not a task event type: ${event.type}`);
  return storedEventOf(event, type);
}

/** The inverse of `cloudEventEnvelope`: the stored event of that envelope, its stored type given. */
export function storedEventOf(event: Omit<TaskCloudEvent, 'type'>, type: string): StoredEvent {
  return {
    event_id: event.id,
    stream_id: event.subject,
    version: event.sequence,
    position: event.position,
    transaction_id: event.transactionid,
    type,
    schema_version: event.schemaversion,
    data: event.data.payload,
    created_at: event.time,
    metadata: {
      user_id: event.data.user_id,
      correlation_id: event.correlationid,
      causation_id: event.causationid ?? null,
      // A sidecar that had no trace context to give writes an empty traceparent: that is none.
      traceparent: event.traceparent || null,
      idempotency_key: event.data.idempotency_key,
      request_id: event.requestid ?? null,
      user_email: event.actoremail ?? null,
    },
  };
}
