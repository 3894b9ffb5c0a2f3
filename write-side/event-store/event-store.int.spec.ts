import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { upcastEvent } from '../../contracts/events/upcast.ts';
import { testDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { postgresEventStore, type EventStore } from './event-store.ts';
import { READ_LOG_SQL } from './read-log.sql.ts';
import { checkpointOf } from '../../contracts/events/stored-event.ts';
import { LOG_START, type NewEvent } from './types.ts';

let t: TestDatabase;
let store: EventStore;

beforeAll(async () => {
  t = await testDatabase();
  store = postgresEventStore(t.db, upcastEvent);
});

const metadata = { user_id: 'u1', correlation_id: 'c1', causation_id: null, traceparent: null, idempotency_key: null, request_id: null };
const event = (type = 'TaskReopened', data: unknown = { n: 1 }): NewEvent => ({
  event_id: randomUUID(), type, schema_version: 1, data, metadata,
});

describe('per-stream sequence (guarantee 1)', () => {
  it('numbers a stream 1, 2, 3 with no gaps, across single and batch appends', async () => {
    const stream = randomUUID();
    await store.append(stream, 'no_stream', [event()]);
    await store.append(stream, 1, [event(), event()]);
    const events = await store.readStream(stream);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3]);
    expect(new Set(events.map((e) => e.position)).size).toBe(3);
  });
});

describe('expected version (guarantee 2)', () => {
  it('lets exactly one of 20 parallel appends at one expected version win; 19 get the current version', async () => {
    const stream = randomUUID();
    await store.append(stream, 'no_stream', [event()]);
    const results = await Promise.all(Array.from({ length: 20 }, () => store.append(stream, 1, [event()])));
    const wins = results.filter((r) => r.ok);
    const conflicts = results.flatMap((r) => (r.ok ? [] : [r.error]));
    expect(wins).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    for (const conflict of conflicts) expect(conflict).toEqual({ code: 'version_conflict', current_version: 2 });
    expect((await store.readStream(stream)).map((e) => e.version)).toEqual([1, 2]);
  });

  it('lets exactly one of 20 parallel creations of one stream win', async () => {
    const stream = randomUUID();
    const results = await Promise.all(Array.from({ length: 20 }, () => store.append(stream, 'no_stream', [event()])));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toHaveLength(19);
    expect(await store.readStream(stream)).toHaveLength(1);
  });

  it('rejects an exact version on a stream that does not exist, and no_stream on one that does', async () => {
    const stream = randomUUID();
    expect(await store.append(stream, 3, [event()])).toEqual({ ok: false, error: { code: 'version_conflict', current_version: 0 } });
    await store.append(stream, 'no_stream', [event()]);
    expect(await store.append(stream, 'no_stream', [event()])).toEqual({ ok: false, error: { code: 'version_conflict', current_version: 1 } });
    expect(await store.append(stream, 0, [event()])).toEqual({ ok: false, error: { code: 'version_conflict', current_version: 1 } });
  });

  it('appends at "any" whatever the version is', async () => {
    const stream = randomUUID();
    const first = await store.append(stream, 'any', [event()]);
    const second = await store.append(stream, 'any', [event()]);
    expect(first.ok && first.value.version).toBe(1);
    expect(second.ok && second.value.version).toBe(2);
  });
});

describe('gap-safe global log (guarantee 3)', () => {
  it('never lets a reader pass a position whose transaction is still open', async () => {
    const head = await store.readLogHead();
    const held = await t.db.connect();
    try {
      await held.query('BEGIN');
      // The held transaction takes its position first…
      const inHeldTransaction = { query: (text: string, params?: readonly unknown[]) => held.query(text, params ? [...params] : undefined) };
      const early = postgresEventStore(inHeldTransaction, upcastEvent);
      const heldAppend = await early.append(randomUUID(), 'no_stream', [event('TestHeld', { held: true })]);
      // …then a later transaction commits a higher position.
      const late = await store.append(randomUUID(), 'no_stream', [event('TestLate', { late: true })]);
      expect(heldAppend.ok && late.ok && heldAppend.value.position < late.value.position).toBe(true);

      // The reader waits: it sees neither, rather than the late one alone.
      expect(await store.readLogAfter(head, 100)).toEqual([]);

      await held.query('COMMIT');
      const read = await store.readLogAfter(head, 100);
      expect(read.map((e) => e.data)).toEqual([{ held: true }, { late: true }]);
      // And a reader that resumes after the first sees exactly the second.
      const [first] = read;
      if (!first) throw new Error('no first event');
      expect((await store.readLogAfter(checkpointOf(first), 100)).map((e) => e.data)).toEqual([{ late: true }]);
    } finally {
      held.release();
    }
  });

  it('reads the log in batches in index order, with no sort step', async () => {
    // A realistic volume, so the planner's choice is the one production gets.
    await t.db.query(`WITH bulk AS (
        INSERT INTO streams (stream_id, version) SELECT gen_random_uuid(), 1 FROM generate_series(1, 20000) RETURNING stream_id)
      INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata)
      SELECT gen_random_uuid(), stream_id, 1, 'TestBulk', 1, '{}', '{}' FROM bulk`);
    await t.db.query('ANALYZE events');
    const plan = await t.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${READ_LOG_SQL}`, [LOG_START.transaction_id, 0, 100]);
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('events_log_order');
    expect(text).not.toMatch(/\bSort\b/);
  });

  it('keeps that plan as the prepared statement every reader runs (its generic plan)', async () => {
    const plan = await t.db.transaction(async (tx) => {
      await tx.query('SET LOCAL plan_cache_mode = force_generic_plan');
      await tx.query(`PREPARE read_log_generic AS ${READ_LOG_SQL}`);
      const explained = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE read_log_generic('${LOG_START.transaction_id}', 0, 100)`);
      await tx.query('DEALLOCATE read_log_generic');
      return explained.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('events_log_order');
    expect(plan).not.toMatch(/\bSort\b/);
  });
});

describe('idempotent commands (guarantee 4)', () => {
  it('remembers the first result of a key in the same statement as the append, and refuses a second append under it', async () => {
    const stream = randomUUID();
    const record = { user_id: 'u1', key: `k-${stream}`, request_hash: 'h', status: 201 };
    const first = await store.append(stream, 'no_stream', [event()], record);
    expect(first.ok).toBe(true);
    const remembered = await store.findRememberedResult('u1', record.key);
    expect(remembered).toMatchObject({ stream_id: stream, version: 1, status: 201, request_hash: 'h' });
    await expect(store.append(stream, 1, [event()], record)).rejects.toMatchObject({ code: '23505' });
    expect(await store.readStream(stream)).toHaveLength(1);
  });
});

describe('event rows and upcasting (guarantee 5)', () => {
  it('stores id, stream, version, position, type, schema version, data, metadata and time', async () => {
    const stream = randomUUID();
    const e = event();
    await store.append(stream, 'no_stream', [e]);
    const [stored] = await store.readStream(stream);
    expect(stored).toMatchObject({ event_id: e.event_id, stream_id: stream, version: 1, type: e.type, schema_version: 1, data: e.data, metadata });
    expect(stored?.position).toBeGreaterThan(0);
    expect(Date.parse(stored?.created_at ?? '')).not.toBeNaN();
  });

  it('upcasts an old TaskCreated v1 payload on read', async () => {
    const stream = randomUUID();
    await t.db.query('INSERT INTO streams (stream_id, version) VALUES ($1, 1)', [stream]);
    await t.db.query(
      `INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata)
       VALUES ($1, $2, 1, 'TaskCreated', 1, $3, $4)`,
      [randomUUID(), stream, JSON.stringify({
        task_id: stream, user_id: 'u1', title: 'Old', description: null, priority: 'low', tags: ['a'],
        due_date: '2020-05-01', created_at: '2020-04-01T00:00:00.000Z',
      }), JSON.stringify(metadata)],
    );
    const [stored] = await store.readStream(stream);
    expect(stored?.schema_version).toBe(2);
    expect(stored?.data).toEqual({
      task_id: stream, user_id: 'u1', title: 'Old', description: null, priority: 'low', tags: ['a'],
      due: { date: '2020-05-01' }, reminders: [], recurrence: null, series_id: null, occurrence: 0,
      created_at: '2020-04-01T00:00:00.000Z',
    });
  });
});

describe('stream-ordered reads of a settled prefix (for rebuilds)', () => {
  it('returns the events up to a head read earlier, stream by stream, and pages with a (stream, version) cursor', async () => {
    const low = `00000000-0000-4000-8000-${randomUUID().slice(-12)}`;
    const high = `ffffffff-0000-4000-8000-${randomUUID().slice(-12)}`;
    await store.append(high, 'no_stream', [event('TestHigh', { n: 1 })]);
    await store.append(low, 'no_stream', [event('TestLow', { n: 1 })]);
    await store.append(high, 1, [event('TestHigh', { n: 2 })]);
    await store.append(low, 1, [event('TestLow', { n: 2 })]);
    const head = await store.readLogHead();
    await store.append(high, 2, [event('TestHigh', { n: 3 })]);

    const mine = <E extends { stream_id: string }>(events: readonly E[]) => events.filter((e) => e.stream_id === low || e.stream_id === high);
    const label = (e: { type: string; version: number }) => `${e.type}@${e.version}`;

    const all = [];
    for (let page = await store.readStreamsUpTo(head, null, 50_000); page.length > 0;) {
      all.push(...page);
      const last = page.at(-1);
      page = last ? await store.readStreamsUpTo(head, last, 50_000) : [];
    }
    expect(mine(all).map(label)).toEqual(['TestLow@1', 'TestLow@2', 'TestHigh@1', 'TestHigh@2']);

    // One at a time: the cursor continues within a stream and from a given (stream, version).
    const one = async (cursor: { stream_id: string; version: number }) => (await store.readStreamsUpTo(head, cursor, 1)).map(label);
    expect(await one({ stream_id: low, version: 0 })).toEqual(['TestLow@1']);
    expect(await one({ stream_id: low, version: 1 })).toEqual(['TestLow@2']);
    expect(await one({ stream_id: high, version: 1 })).toEqual(['TestHigh@2']);
    expect(await store.readStreamsUpTo(head, { stream_id: high, version: 2 }, 10).then((events) => mine(events))).toEqual([]);

    // The payload read: the same events in the same order, with what a fold needs and nothing else.
    const payloads = mine(await store.readStreamPayloadsUpTo(head, { stream_id: low, version: 0 }, 50_000));
    expect(payloads).toEqual(mine(all).map(({ stream_id, version, position, type, schema_version, data }) => ({ stream_id, version, position, type, schema_version, data })));
    expect(mine(await store.readStreamPayloadsUpTo(head, { stream_id: low, version: 1 }, 1)).map(label)).toEqual(['TestLow@2']);
  });

  it('upcasts old payloads in the payload read as in every other read', async () => {
    const stream = randomUUID();
    await store.append(stream, 'no_stream', [{ ...event('TaskCreated', { title: 'Old', due_date: '2026-12-01' }), schema_version: 1 }]);
    const head = await store.readLogHead();
    const [read] = await store.readStreamPayloadsUpTo(head, { stream_id: stream, version: 0 }, 1);
    expect(read).toMatchObject({ stream_id: stream, schema_version: 2, data: { title: 'Old', due: { date: '2026-12-01' }, reminders: [] } });
  });
});

describe('events at given places of their streams', () => {
  it('answers the events that exist at those (stream, version) places, in stream and version order, with their metadata', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await store.append(a, 'no_stream', [event(), event(), event()]);
    await store.append(b, 'no_stream', [{ ...event(), metadata: { ...metadata, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } }]);
    const found = await store.readEventsAt([{ stream_id: b, version: 1 }, { stream_id: a, version: 3 }, { stream_id: a, version: 9 }]);
    expect(found.map((e) => [e.stream_id, e.version]).sort()).toEqual([[a, 3], [b, 1]].sort());
    expect(found.find((e) => e.stream_id === b)?.metadata.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(await store.readEventsAt([])).toEqual([]);
  });

  it('answers many stream prefixes in one read: each stream up to its place, in stream and version order', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await store.append(a, 'no_stream', [event(), event(), event()]);
    await store.append(b, 'no_stream', [event(), event()]);
    const found = await store.readStreamPrefixes([{ stream_id: b, version: 1 }, { stream_id: a, version: 2 }]);
    expect(found.map((e) => [e.stream_id, e.version])).toEqual([[a, 1], [a, 2], [b, 1]].sort((x, y) => String(x[0]).localeCompare(String(y[0]))));
    expect(await store.readStreamPrefixes([])).toEqual([]);
  });
});
