import { z } from 'zod';
import { CLOUDEVENT_TYPES, cloudEventEnvelope, storedEventOf, TaskCloudEvent } from './cloudevent.ts';
import type { StoredEvent } from './stored-event.ts';

/*
 * The event-log export (ADR 0030): JSON Lines. A header record, then every event of the log in log order as
 * the CloudEvent the bus carries (plus the stored type, for events the bus has no type for), then the
 * idempotency records, then a trailer with the counts and a SHA-256 of every line between header and trailer,
 * so a truncated or altered file is refused before anything is imported.
 */

export const EXPORT_FORMAT = 'todo-event-log';
export const EXPORT_FORMAT_VERSION = 1;

/** Events of types the bus has no CloudEvent type for travel under this prefix plus their stored type. */
export const LOG_EVENT_TYPE_PREFIX = 'com.todo.log.';

const Instant = z.iso.datetime({ offset: true });

export const ExportHeader = z.strictObject({
  record: z.literal('header'),
  format: z.string(),
  version: z.int(),
  exported_at: Instant,
  source: z.strictObject({
    head_position: z.int().min(0).describe('Position of the last exported event (0 for an empty log)'),
  }),
  events: z.int().min(0),
});
export type ExportHeader = z.infer<typeof ExportHeader>;

export const ExportedEvent = TaskCloudEvent.extend({
  type: z.string().min(1),
  subject: z.uuid(),
  partitionkey: z.uuid(),
  // Microseconds, as the store keeps them.
  time: Instant,
  eventtype: z.string().min(1).describe('The event type as the store keeps it'),
  data: TaskCloudEvent.shape.data.extend({ task_id: z.uuid() }),
});
export type ExportedEvent = z.infer<typeof ExportedEvent>;

export const ExportedIdempotencyRecord = z.strictObject({
  record: z.literal('idempotency'),
  user_id: z.string(),
  key: z.string(),
  request_hash: z.string(),
  stream_id: z.uuid(),
  version: z.int().min(0),
  position: z.int().min(0),
  status: z.int(),
  created_at: Instant,
});
export type ExportedIdempotencyRecord = z.infer<typeof ExportedIdempotencyRecord>;

export const ExportTrailer = z.strictObject({
  record: z.literal('trailer'),
  events: z.int().min(0),
  idempotency_records: z.int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).describe('Of every line between header and trailer, each with its newline'),
});
export type ExportTrailer = z.infer<typeof ExportTrailer>;

/** Any line after the header: an event, an idempotency record or the trailer. */
export const ExportBodyLine = z.union([ExportedEvent, ExportedIdempotencyRecord, ExportTrailer]);
export type ExportBodyLine = z.infer<typeof ExportBodyLine>;

function isTaskEventType(type: string): type is keyof typeof CLOUDEVENT_TYPES {
  return Object.hasOwn(CLOUDEVENT_TYPES, type);
}

function payloadOf(event: StoredEvent): Record<string, unknown> {
  const { data } = event;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error(`event ${event.event_id} has a payload that is not an object`);
  return { ...data };
}

/** One event of the log as a line of the export: the bus's envelope, with the payload as stored. */
export function toExportedEvent(event: StoredEvent): ExportedEvent {
  return {
    ...cloudEventEnvelope({ ...event, data: payloadOf(event) }),
    type: isTaskEventType(event.type) ? CLOUDEVENT_TYPES[event.type] : `${LOG_EVENT_TYPE_PREFIX}${event.type}`,
    eventtype: event.type,
  };
}

/** The stored event a line of the export was made from (its transaction id is the exporting store's). */
export function fromExportedEvent(event: ExportedEvent): StoredEvent {
  return storedEventOf(event, event.eventtype);
}

export function isExportedEvent(line: ExportBodyLine): line is ExportedEvent {
  return !('record' in line);
}
