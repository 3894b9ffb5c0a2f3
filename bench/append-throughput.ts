import { randomUUID } from 'node:crypto';
import { upcastEvent } from '../contracts/events/upcast.ts';
import type { Db } from '../gateways/postgres/db.ts';
import { postgresEventStore } from '../write-side/event-store/event-store.ts';
import { newTimeOrderedId } from '../write-side/time-ordered-id.ts';
import { announcingAppends, appendAnnouncer } from '../write-side/event-store/append-announcer.ts';
import type { NewEvent } from '../write-side/event-store/types.ts';
import { runBounded, type Throughput } from './stats.ts';

export const APPEND_USER = 'bench-append';

export interface AppendLevel {
  readonly writers: number;
  /** The production append: one TaskCreated to a new stream per operation, announced as the service does. */
  readonly store: Throughput;
  /** How many NOTIFYs the coalescing announcer sent for the store's appends. */
  readonly notifications: number;
  /** The physical baseline: one autocommit single-row INSERT per operation, same pool. */
  readonly raw: Throughput;
}

/** A TaskCreated as the command handler would write it for a new task. */
export function taskCreatedEvent(taskId: string, userId: string, now: Date): NewEvent {
  return {
    event_id: newTimeOrderedId(),
    type: 'TaskCreated',
    schema_version: 2,
    data: {
      task_id: taskId,
      user_id: userId,
      title: 'Write the quarterly report',
      description: 'Numbers from finance, slides for Monday',
      priority: 'medium',
      tags: ['work', 'reports'],
      due: { datetime: '2026-12-01T09:00', timezone: 'Europe/Berlin' },
      reminders: [{ before_minutes: 30, channels: ['email'] }],
      recurrence: null,
      series_id: null,
      occurrence: 0,
      created_at: now.toISOString(),
    },
    metadata: {
      user_id: userId,
      correlation_id: randomUUID(),
      causation_id: null,
      traceparent: null,
      idempotency_key: null,
      request_id: randomUUID(),
    },
  };
}

/** The same JSON the raw baseline inserts, so both sides move comparable bytes. */
function rawPayload(): string {
  const event = taskCreatedEvent(randomUUID(), APPEND_USER, new Date());
  return JSON.stringify({ data: event.data, metadata: event.metadata });
}

/** Adds up the slices of one contender into one figure. */
function combine(slices: readonly Throughput[]): Throughput {
  const ops = slices.reduce((sum, t) => sum + t.ops, 0);
  const seconds = slices.reduce((sum, t) => sum + t.seconds, 0);
  // Per-slice percentiles cannot be merged exactly; the median slice's is a fair summary.
  const middle = <K extends 'p50' | 'p99'>(key: K) => {
    const values = slices.map((t) => t.latency[key]).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)] ?? Number.NaN;
  };
  const max = Math.max(...slices.map((t) => t.latency.max));
  return { ops, seconds, perSecond: ops / seconds, latency: { count: ops, p50: middle('p50'), p99: middle('p99'), max } };
}

/**
 * Append throughput of the event store against the raw single-row INSERT rate of the same PostgreSQL,
 * at each concurrency, through the same pool. The contenders run interleaved in short slices (store
 * with its after-commit announcements, raw, repeated), so a disk or a neighbour that changes speed during the run
 * affects all of them alike.
 */
export async function measureAppendThroughput(
  db: Db,
  options: { readonly levels: readonly number[]; readonly secondsPerLevel: number; readonly slices: number; readonly maxOps: number },
): Promise<AppendLevel[]> {
  await db.query('CREATE TABLE IF NOT EXISTS bench_raw (id bigserial PRIMARY KEY, payload jsonb NOT NULL)');
  // Counting the NOTIFYs through a thin wrapper; the announcer sends them on the bench's pool as the
  // service sends them on its own.
  let notifications = 0;
  const announcer = appendAnnouncer({
    db: { query: (text, params, queryOptions) => { notifications += 1; return db.query(text, params, queryOptions); } },
    wakeLocal: () => undefined,
    onError: (error) => { throw error; },
  });
  const store = announcingAppends(postgresEventStore(db, upcastEvent), announcer);
  const appendOne = async (): Promise<void> => {
    // Minted as the API mints the id of a task created without one.
    const taskId = newTimeOrderedId();
    const result = await store.append(taskId, 'no_stream', [taskCreatedEvent(taskId, APPEND_USER, new Date())]);
    if (!result.ok) throw new Error(`append to a new stream conflicted: ${JSON.stringify(result.error)}`);
  };
  const insertOne = async (): Promise<void> => {
    await db.query('INSERT INTO bench_raw (payload) VALUES ($1)', [rawPayload()]);
  };
  // Warm-up: open the pool's connections and prime the statements; not reported.
  const widest = Math.max(...options.levels);
  await runBounded({ concurrency: widest, seconds: 1, maxOps: 2_000 }, appendOne);
  await runBounded({ concurrency: widest, seconds: 1, maxOps: 2_000 }, insertOne);

  const levels: AppendLevel[] = [];
  for (const writers of options.levels) {
    // Each contender gets half of the level's time, cut into slices.
    const slice = { concurrency: writers, seconds: options.secondsPerLevel / 2 / options.slices, maxOps: Math.ceil(options.maxOps / options.slices) };
    const storeSlices: Throughput[] = [];
    const rawSlices: Throughput[] = [];
    await announcer.settled();
    notifications = 0;
    for (let i = 0; i < options.slices; i++) {
      storeSlices.push(await runBounded(slice, appendOne));
      await announcer.settled();
      rawSlices.push(await runBounded(slice, insertOne));
    }
    levels.push({ writers, store: combine(storeSlices), notifications, raw: combine(rawSlices) });
  }
  return levels;
}
