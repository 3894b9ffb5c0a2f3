import type { Db } from '../gateways/postgres/db.ts';
import { parseTaskEvent } from '../contracts/events/task-events.ts';
import { ISO, TASK_FIELDS, TASK_WORDS } from './bulk-load.ts';

/*
 * The million-task log: 1,000,000 tasks, 10 events each (10,000,000 events), for users as a real service
 * has them — most with 100 tasks, two with 50,000. Generated inside PostgreSQL (no rows cross the wire:
 * the bulk path is the server writing heap pages), by two backends side by side, into an `events` table
 * whose secondary indexes are dropped for the load and built once after it, as pg_restore does. Payloads
 * follow contracts/events/task-events.ts; a sample is parsed before the load is called done.
 */

export const MILLION_HEAVY_USERS = ['bench-heavy', 'bench-heavy-2'] as const;
export const millionUserName = (index: number): string => `bench-user-${String(index).padStart(4, '0')}`;

export interface MillionPlan {
  readonly heavyUsers: number;
  readonly heavyTasks: number;
  readonly users: number;
  readonly tasksPerUser: number;
  readonly eventsPerTask: number;
}

export const MILLION_PLAN: MillionPlan = { heavyUsers: 2, heavyTasks: 50_000, users: 9_000, tasksPerUser: 100, eventsPerTask: 10 };

export const planTasks = (plan: MillionPlan): number => plan.heavyUsers * plan.heavyTasks + plan.users * plan.tasksPerUser;

/** A name for the plan: the cache folder of a loaded log is keyed by it. */
export const planKey = (plan: MillionPlan): string =>
  `h${plan.heavyUsers}x${plan.heavyTasks}-u${plan.users}x${plan.tasksPerUser}-e${plan.eventsPerTask}`;


const createTasks = (plan: MillionPlan) => {
  const heavy = plan.heavyUsers * plan.heavyTasks;
  const total = planTasks(plan);
  return `
  CREATE UNLOGGED TABLE bench_million_tasks AS
  WITH base AS (
    SELECT n,
           uuidv7() AS task_id,
           CASE WHEN n <= ${heavy}
                THEN CASE WHEN (n - 1) / ${plan.heavyTasks} = 0 THEN '${MILLION_HEAVY_USERS[0]}' ELSE 'bench-heavy-' || ((n - 1) / ${plan.heavyTasks} + 1) END
                ELSE 'bench-user-' || lpad(((n - ${heavy} - 1) % ${plan.users})::text, 4, '0') END AS user_id,
           date_trunc('second', now()) - ((n::bigint * 7919) % ${total}) * interval '30 seconds' AS created,
           ${TASK_WORDS}
      FROM generate_series(1, ${total}) AS n)
  SELECT n, task_id, user_id, created, verb, noun,
         ${TASK_FIELDS}
    FROM base`;
};

const METADATA = `jsonb_build_object('user_id', t.user_id, 'correlation_id', gen_random_uuid(), 'causation_id', NULL,
  'traceparent', NULL, 'idempotency_key', NULL, 'request_id', gen_random_uuid())`;

/**
 * Version 1 creates the task; the versions between change its priority and tags, or its title and
 * description, by turns; the last completes every third task and changes the others once more.
 */
const insertEvents = (plan: MillionPlan) => `
  INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata, created_at)
  SELECT uuidv7(), t.task_id, v,
         CASE WHEN v = 1 THEN 'TaskCreated' WHEN v = ${plan.eventsPerTask} AND t.n % 3 = 0 THEN 'TaskCompleted' ELSE 'TaskUpdated' END,
         CASE WHEN v = 1 THEN 2 ELSE 1 END,
         CASE
           WHEN v = 1 THEN jsonb_build_object('task_id', t.task_id, 'user_id', t.user_id, 'title', t.verb || ' ' || t.noun,
             'description', t.description, 'priority', t.priority, 'tags', t.tags, 'due', t.due, 'reminders', '[]'::jsonb,
             'recurrence', NULL, 'series_id', NULL, 'occurrence', 0, 'created_at', ${ISO('t.created')})
           WHEN v = ${plan.eventsPerTask} AND t.n % 3 = 0 THEN jsonb_build_object('task_id', t.task_id,
             'completed_at', ${ISO(`t.created + interval '${plan.eventsPerTask - 1} hours'`)})
           WHEN v % 2 = 0 THEN jsonb_build_object('task_id', t.task_id,
             'changes', jsonb_build_object('priority', (ARRAY['none','low','medium','high','urgent'])[1 + (t.n + v) % 5],
                                           'tags', t.tags || jsonb_build_array('step-' || v)),
             'updated_at', ${ISO("t.created + (v - 1) * interval '1 hour'")})
           ELSE jsonb_build_object('task_id', t.task_id,
             'changes', jsonb_build_object('title', t.verb || ' ' || t.noun || ' (rev ' || v || ')',
                                           'description', 'Moved after call ' || v || ' with Sam.'),
             'updated_at', ${ISO("t.created + (v - 1) * interval '1 hour'")})
         END,
         ${METADATA}, t.created + (v - 1) * interval '1 hour'
    FROM bench_million_tasks t CROSS JOIN generate_series(1, ${plan.eventsPerTask}) AS v
   WHERE t.n BETWEEN $1 AND $2
   ORDER BY t.n, v`;

const INSERT_STREAMS = (plan: MillionPlan) => `
  INSERT INTO streams (stream_id, version, created_at, updated_at)
  SELECT task_id, ${plan.eventsPerTask}, created, created + interval '${plan.eventsPerTask - 1} hours'
    FROM bench_million_tasks WHERE n BETWEEN $1 AND $2`;

/** The indexes of `events` and `streams` that the load does without; built once after it, as migrations left them. */
const EVENT_INDEXES: ReadonlyArray<{ readonly drop: string; readonly create: string }> = [
  { drop: 'ALTER TABLE events DROP CONSTRAINT events_event_id_key', create: 'ALTER TABLE events ADD CONSTRAINT events_event_id_key UNIQUE (event_id)' },
  { drop: 'ALTER TABLE events DROP CONSTRAINT events_stream_version', create: 'ALTER TABLE events ADD CONSTRAINT events_stream_version UNIQUE (stream_id, version)' },
  { drop: 'DROP INDEX events_log_order', create: 'CREATE INDEX events_log_order ON events (transaction_id, position)' },
  { drop: 'ALTER TABLE events DROP CONSTRAINT events_pkey', create: 'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (position)' },
];

export interface MillionLoadReport {
  readonly tasks: number;
  readonly events: number;
  /** Generating and inserting the rows. */
  readonly insertSeconds: number;
  /** Building the indexes of `events` after the load. */
  readonly indexSeconds: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
}

/** Loads the plan's log into an empty event store; `loaders` backends generate disjoint ranges of tasks side by side. */
export async function loadMillionLog(db: Db, plan: MillionPlan, options: { loaders: number; chunk: number; onProgress?: (tasks: number) => void }): Promise<MillionLoadReport> {
  const existing = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM events) AS any');
  if (existing.rows[0]?.any) throw new Error('the million-task log goes into an empty event store');
  const tasks = planTasks(plan);
  const started = performance.now();
  await db.query('DROP TABLE IF EXISTS bench_million_tasks');
  await db.query(createTasks(plan));
  for (const index of EVENT_INDEXES) await db.query(index.drop);
  let next = 1;
  let done = 0;
  await Promise.all(Array.from({ length: options.loaders }, async () => {
    for (let from = next; from <= tasks; from = next) {
      next = from + options.chunk;
      const range = [from, Math.min(tasks, from + options.chunk - 1)];
      await db.transaction(async (tx) => {
        // A lost chunk is loaded again by the next run (the cache is only marked complete at the end).
        await tx.query('SET LOCAL synchronous_commit = off');
        await tx.query(INSERT_STREAMS(plan), range);
        await tx.query(insertEvents(plan), range);
      });
      done += (range[1] ?? 0) - (range[0] ?? 0) + 1;
      options.onProgress?.(done);
    }
  }));
  const inserted = performance.now();
  // Two builds at a time (two cores), each given memory to sort in.
  const pending = [...EVENT_INDEXES];
  await Promise.all([0, 1].map(() => db.transaction(async (tx) => {
    await tx.query("SET LOCAL maintenance_work_mem = '512MB'");
    for (let index = pending.shift(); index !== undefined; index = pending.shift()) await tx.query(index.create);
  })));
  const indexed = performance.now();
  await db.query('DROP TABLE bench_million_tasks');
  await checkSample(db);
  await db.query('VACUUM (ANALYZE) events');
  await db.query('VACUUM (ANALYZE) streams');
  await db.query('CHECKPOINT');
  const events = tasks * plan.eventsPerTask;
  const seconds = (performance.now() - started) / 1000;
  return { tasks, events, insertSeconds: (inserted - started) / 1000, indexSeconds: (indexed - inserted) / 1000, seconds, eventsPerSecond: events / seconds };
}

/** Parses a sample of the stored events as the projectors will; throws on the first invalid payload. */
async function checkSample(db: Db): Promise<void> {
  const sample = await db.query<{ type: string; data: unknown }>(
    `SELECT type, data FROM events
      WHERE position IN (SELECT generate_series(1, max(position), greatest(1, max(position) / 2000)) FROM events)`,
  );
  const types = new Set<string>();
  for (const row of sample.rows) {
    parseTaskEvent(row.type, row.data);
    types.add(row.type);
  }
  if (types.size < 3) throw new Error(`million-load sample saw only ${[...types].join(', ')}`);
}
