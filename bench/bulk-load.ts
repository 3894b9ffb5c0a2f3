import { parseTaskEvent } from '../contracts/events/task-events.ts';
import type { Db } from '../gateways/postgres/db.ts';

/*
 * Loads a realistic event log straight into `streams` and `events` with set-based SQL: every task gets a
 * TaskCreated, every second one a TaskUpdated, every third one a TaskCompleted, spread over one heavy user
 * and many ordinary ones. Payloads follow contracts/events/task-events.ts exactly (the projector parses
 * them with zod), so a sample is parsed here first and a bad generator fails before anything is timed.
 */

export const HEAVY_USER = 'bench-heavy';
export const userName = (index: number): string => `bench-user-${String(index).padStart(4, '0')}`;

export interface BulkLoadPlan {
  readonly heavyTasks: number;
  readonly users: number;
  readonly tasksPerUser: number;
  /** Tasks per transaction. */
  readonly chunk: number;
}

export interface BulkLoadReport {
  readonly tasks: number;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
}

/** An instant as the event payloads write it (UTC, milliseconds). */
export const ISO = (ts: string) => `to_char((${ts}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A generated task's verb and noun, picked from its number n: the titles of both generated logs. */
export const TASK_WORDS = `(ARRAY['Buy','Call','Email','Write','Review','Fix','Plan','Book','Pay','Clean','Prepare','Schedule'])[1 + n % 12] AS verb,
           (ARRAY['groceries','the report','the dentist','the invoice','the presentation','train tickets',
                  'the garden','the car service','the budget','a letter to the bank','the team offsite',
                  'the tax return','the birthday party','the backlog','the quarterly review','the insurance'])[1 + (n / 12) % 16] AS noun`;

/** A generated task's description, priority, tags and due, from its number n, its words and `created`. */
export const TASK_FIELDS = `CASE WHEN n % 4 = 0 THEN NULL
              ELSE 'Remember to ' || lower(verb) || ' ' || noun || ' before the end of the week; ask Sam about the details.' END AS description,
         (ARRAY['none','low','medium','high','urgent'])[1 + n % 5] AS priority,
         (ARRAY['[]','["work"]','["home","errands"]','["work","urgent"]','["health"]','["finance","family","someday"]'])[1 + n % 6]::jsonb AS tags,
         CASE n % 3
           WHEN 0 THEN NULL
           WHEN 1 THEN jsonb_build_object('date', to_char((created + ((n % 120) - 30) * interval '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD'))
           ELSE jsonb_build_object(
             'datetime', to_char((created + ((n % 120) - 30) * interval '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI'),
             'timezone', (ARRAY['Europe/Berlin','America/New_York','Asia/Tokyo'])[1 + (n / 3) % 3])
         END AS due`;

const createTasks = (heavy: number, users: number, total: number) => `
  CREATE UNLOGGED TABLE bench_tasks AS
  WITH base AS (
    SELECT n,
           gen_random_uuid() AS task_id,
           CASE WHEN n <= ${heavy} THEN '${HEAVY_USER}'
                ELSE 'bench-user-' || lpad(((n - ${heavy} - 1) % ${users})::text, 4, '0') END AS user_id,
           date_trunc('second', now()) - ((n::bigint * 7919) % ${total}) * interval '4 minutes' AS created,
           ${TASK_WORDS}
      FROM generate_series(1, ${total}) AS n)
  SELECT n, task_id, user_id, created,
         verb || ' ' || noun AS title,
         ${TASK_FIELDS},
         -- Reminders only on tasks due from tomorrow on: none falls due while the benchmark runs.
         CASE WHEN n % 3 <> 0 AND n % 5 = 0 AND created + ((n % 120) - 30) * interval '1 day' > now() + interval '1 day'
              THEN '[{"before_minutes": 30, "channels": ["email"]}]' ELSE '[]' END::jsonb AS reminders,
         CASE WHEN n % 3 <> 0 AND n % 50 = 1 THEN '{"rrule": "FREQ=WEEKLY;INTERVAL=1", "anchor": "due"}' END::jsonb AS recurrence
    FROM base`;

const METADATA = `jsonb_build_object('user_id', user_id, 'correlation_id', gen_random_uuid(), 'causation_id', NULL,
  'traceparent', NULL, 'idempotency_key', NULL, 'request_id', gen_random_uuid())`;

const INSERT_STREAMS = `
  INSERT INTO streams (stream_id, version, created_at, updated_at)
  SELECT task_id, 1 + (n % 2 = 0)::int + (n % 3 = 0)::int, created, created
    FROM bench_tasks WHERE n BETWEEN $1 AND $2`;

const INSERT_CREATED = `
  INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata, created_at)
  SELECT gen_random_uuid(), task_id, 1, 'TaskCreated', 2,
         jsonb_build_object('task_id', task_id, 'user_id', user_id, 'title', title, 'description', description,
           'priority', priority, 'tags', tags, 'due', due, 'reminders', reminders, 'recurrence', recurrence,
           'series_id', NULL, 'occurrence', 0, 'created_at', ${ISO('created')}),
         ${METADATA}, created
    FROM bench_tasks WHERE n BETWEEN $1 AND $2 ORDER BY n`;

const INSERT_UPDATED = `
  INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata, created_at)
  SELECT gen_random_uuid(), task_id, 2, 'TaskUpdated', 1,
         jsonb_build_object('task_id', task_id,
           'changes', CASE WHEN n % 4 = 0
             THEN jsonb_build_object('title', title || ' (revised)', 'description', 'Moved after the call with Sam.')
             ELSE jsonb_build_object('priority', (ARRAY['none','low','medium','high','urgent'])[1 + (n + 2) % 5],
                                     'tags', tags || '["followup"]'::jsonb) END,
           'updated_at', ${ISO("created + interval '1 day'")}),
         ${METADATA}, created + interval '1 day'
    FROM bench_tasks WHERE n BETWEEN $1 AND $2 AND n % 2 = 0 ORDER BY n`;

const INSERT_COMPLETED = `
  INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata, created_at)
  SELECT gen_random_uuid(), task_id, CASE WHEN n % 2 = 0 THEN 3 ELSE 2 END, 'TaskCompleted', 1,
         jsonb_build_object('task_id', task_id, 'completed_at', ${ISO("created + interval '2 days'")}),
         ${METADATA}, created + interval '2 days'
    FROM bench_tasks WHERE n BETWEEN $1 AND $2 AND n % 3 = 0 ORDER BY n`;

/** Parses a sample of each event type as the projector will; throws on the first invalid payload. */
async function checkSample(db: Db): Promise<void> {
  const sample = await db.query<{ type: string; data: unknown }>(
    `SELECT e.type, e.data FROM events e
      WHERE e.stream_id IN (SELECT task_id FROM bench_tasks TABLESAMPLE SYSTEM (1) LIMIT 500)`,
  );
  const types = new Set<string>();
  for (const row of sample.rows) {
    parseTaskEvent(row.type, row.data);
    types.add(row.type);
  }
  if (types.size < 3) throw new Error(`bulk-load sample saw only ${[...types].join(', ')}`);
}

export async function bulkLoadEvents(db: Db, plan: BulkLoadPlan): Promise<BulkLoadReport> {
  const tasks = plan.heavyTasks + plan.users * plan.tasksPerUser;
  const started = performance.now();
  const before = await countEvents(db);
  await db.query('DROP TABLE IF EXISTS bench_tasks');
  for (const count of [plan.heavyTasks, plan.users, tasks, plan.chunk]) {
    if (!Number.isSafeInteger(count) || count <= 0) throw new Error(`bulk-load plan needs positive integers, got ${count}`);
  }
  await db.query(createTasks(plan.heavyTasks, plan.users, tasks));
  try {
    for (let from = 1; from <= tasks; from += plan.chunk) {
      const range = [from, Math.min(tasks, from + plan.chunk - 1)];
      await db.transaction(async (tx) => {
        await tx.query(INSERT_STREAMS, range);
        await tx.query(INSERT_CREATED, range);
        await tx.query(INSERT_UPDATED, range);
        await tx.query(INSERT_COMPLETED, range);
      });
    }
    await checkSample(db);
  } finally {
    await db.query('DROP TABLE IF EXISTS bench_tasks');
  }
  const events = (await countEvents(db)) - before;
  const seconds = (performance.now() - started) / 1000;
  // What autovacuum would do soon after such a load; the rebuild should not pay for hint bits and stale stats.
  await db.query('VACUUM (ANALYZE) events');
  await db.query('VACUUM (ANALYZE) streams');
  // Write out what the load (and the phases before it) dirtied now, as pgbench does before a run, so that a
  // checkpoint does not flush it under the rebuild being measured.
  await db.query('CHECKPOINT');
  return { tasks, events, seconds, eventsPerSecond: events / seconds };
}

async function countEvents(db: Db): Promise<number> {
  const result = await db.query<{ count: number }>('SELECT count(*)::float8 AS count FROM events');
  return result.rows[0]?.count ?? 0;
}
