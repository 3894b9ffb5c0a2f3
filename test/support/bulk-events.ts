import { APPENDS_CHANNEL } from '../../contracts/ports/event-log.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';

/**
 * Appends `count` TaskCreated events (one new task each, spread over `users` users) in one SQL statement:
 * a fast way to give a projector a long log, announced like any append. Payloads are valid against the event contract.
 */
export async function bulkCreateTasks(db: Queryable, count: number, users = 50): Promise<void> {
  await db.query(
    `WITH new_tasks AS (
       INSERT INTO streams (stream_id, version)
       SELECT gen_random_uuid(), 1 FROM generate_series(1, $1)
       RETURNING stream_id),
     numbered AS (SELECT stream_id, row_number() OVER () AS n FROM new_tasks)
     INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata)
     SELECT gen_random_uuid(), stream_id, 1, 'TaskCreated', 2,
            jsonb_build_object(
              'task_id', stream_id, 'user_id', 'user-' || (n % $2), 'title', 'Bulk task ' || n,
              'description', NULL, 'priority', (ARRAY['none','low','medium','high','urgent'])[1 + n % 5],
              'tags', jsonb_build_array('tag' || (n % 7)), 'due', NULL, 'reminders', '[]'::jsonb, 'recurrence', NULL,
              'series_id', NULL, 'occurrence', 0,
              'created_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
            jsonb_build_object('user_id', 'user-' || (n % $2), 'correlation_id', gen_random_uuid(), 'causation_id', NULL,
              'traceparent', NULL, 'idempotency_key', NULL, 'request_id', NULL)
       FROM numbered`,
    [count, users],
  );
  // As an appending process does after its commit (write-side/event-store/append-announcer.ts).
  await db.query(`SELECT pg_notify('${APPENDS_CHANNEL}', '')`);
}
