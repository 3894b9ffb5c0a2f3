import type { EventMetadata, StoredEvent } from '../../contracts/events/stored-event.ts';
import { TASK_ID, USER } from '../../domain/task/testing/task-fixtures.ts';
import type { TaskEvent } from '../../domain/task/types.ts';

export const CORRELATION = 'c0ffee00-0000-4000-8000-000000000001';
export const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

/** One task's events as the store would hand them out: versions from 1, positions from `firstPosition`. */
export function storedStream(
  events: readonly TaskEvent[],
  options: { streamId?: string; firstPosition?: number; metadata?: Partial<EventMetadata> } = {},
): StoredEvent[] {
  const streamId = options.streamId ?? TASK_ID;
  const firstPosition = options.firstPosition ?? 100;
  return events.map((event, index) => ({
    event_id: `00000000-0000-4000-8000-${String(firstPosition + index).padStart(12, '0')}`,
    type: event.type,
    schema_version: 1,
    data: event.data,
    metadata: {
      user_id: USER, correlation_id: CORRELATION, causation_id: null, traceparent: TRACEPARENT,
      idempotency_key: null, request_id: null, user_email: 'ada@example.com', ...options.metadata,
    },
    stream_id: streamId,
    version: index + 1,
    position: firstPosition + index,
    transaction_id: String(firstPosition + index),
    created_at: '2026-03-01T09:00:00.000Z',
  }));
}
