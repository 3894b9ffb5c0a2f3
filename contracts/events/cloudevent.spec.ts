import { randomUUID } from 'node:crypto';
import { CloudEvent, HTTP, ValidationError } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { TASK_EVENT_PAYLOADS } from './task-events.ts';
import { fromCloudEvent, TaskCloudEvent, toCloudEvent } from './cloudevent.ts';

const taskId = randomUUID();
const created = {
  event_id: randomUUID(),
  stream_id: taskId,
  version: 1,
  position: 42,
  transaction_id: '812',
  schema_version: 1,
  type: 'TaskCreated' as const,
  created_at: '2026-11-27T10:00:00.000Z',
  metadata: {
    user_id: 'alice', idempotency_key: 'k-1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    correlation_id: randomUUID(), causation_id: null, request_id: 'req-1', user_email: 'alice@example.com',
  },
  data: {
    task_id: taskId, user_id: 'alice', title: 'Write', description: null, priority: 'high', tags: ['work'],
    due: { datetime: '2026-12-01T09:00', timezone: 'Europe/Berlin' }, reminders: [{ before_minutes: 30, channels: ['email'] }],
    recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO', anchor: 'due' }, estimate_minutes: null, series_id: null, occurrence: 0, created_at: '2026-11-27T10:00:00.000Z',
  },
};

describe('our CloudEvents', () => {
  it('are valid CloudEvents 1.0 for the official SDK, with our extensions', () => {
    const event = toCloudEvent(created);
    const sdkEvent = new CloudEvent(event, true);
    expect(sdkEvent.validate()).toBe(true);
    expect(sdkEvent.type).toBe('com.todo.task.created');
    expect(sdkEvent.source).toBe('/todo/write-side');
    expect(sdkEvent.subject).toBe(taskId);
    expect(sdkEvent['partitionkey']).toBe(taskId);
    expect(sdkEvent['sequence']).toBe(1);
    expect(sdkEvent['traceparent']).toBe(created.metadata.traceparent);
  });

  it('survive the SDK\'s structured HTTP encoding and decoding unchanged', () => {
    const message = HTTP.structured(new CloudEvent(toCloudEvent(created)));
    expect(message.headers['content-type']).toContain('application/cloudevents+json');
    const decoded = HTTP.toEvent(message);
    const single = Array.isArray(decoded) ? decoded[0] : decoded;
    expect(TaskCloudEvent.parse(JSON.parse(JSON.stringify(single)))).toEqual(toCloudEvent(created));
  });

  it('match our envelope schema and carry a payload that matches the event\'s schema', () => {
    const event = TaskCloudEvent.parse(toCloudEvent(created));
    expect(TASK_EVENT_PAYLOADS.TaskCreated.parse(event.data.payload)).toEqual(created.data);
    expect(event.data).toMatchObject({ task_id: taskId, user_id: 'alice', sequence: 1, idempotency_key: 'k-1' });
  });

  it('carry what a subscriber needs to rebuild the stored event exactly', () => {
    const onTheWire = TaskCloudEvent.parse(JSON.parse(JSON.stringify(toCloudEvent(created))));
    expect(onTheWire).toMatchObject({ position: 42, transactionid: '812', schemaversion: 1, correlationid: created.metadata.correlation_id });
    expect(fromCloudEvent(onTheWire)).toEqual({ ...created, metadata: { ...created.metadata } });
  });

  it('leave out the causation of an event no other event caused', () => {
    expect(toCloudEvent(created)).not.toHaveProperty('causationid');
    const caused = { ...created, metadata: { ...created.metadata, causation_id: randomUUID() } };
    expect(fromCloudEvent(TaskCloudEvent.parse(toCloudEvent(caused))).metadata.causation_id).toBe(caused.metadata.causation_id);
  });

  it('are refused by the SDK when a required attribute is broken', () => {
    const broken = { ...toCloudEvent(created), specversion: '1.0', source: '' };
    expect(() => new CloudEvent(broken, true).validate()).toThrow(ValidationError);
  });
});
