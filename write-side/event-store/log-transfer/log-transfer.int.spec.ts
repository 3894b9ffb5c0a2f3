import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_FORMAT, EXPORT_FORMAT_VERSION } from '../../../contracts/events/log-export.ts';
import type { Queryable } from '../../../contracts/ports/sql.ts';
import { upcastEvent } from '../../../contracts/events/upcast.ts';
import { bulkCreateTasks } from '../../../test/support/bulk-events.ts';
import { testDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { postgresEventStore } from '../event-store.ts';
import { EXPORT_BATCH, exportLog } from './export-log.ts';
import { importLog } from './import-log.ts';

/*
 * The event-log export and import at the store: what goes out comes back identical — events with their
 * ids, streams, versions, positions, microsecond creation times and metadata, stream heads and idempotency
 * records, events of types the bus knows nothing of — and a file that is not whole is refused before a row
 * is written. (The same round trip seen through the API is the event-log row of the disaster-recovery drill.)
 */

let dir: string;
let source: TestDatabase;
let exported: string;

// An event stored without user_email (older than the field) comes back with it null: the same meaning.
const EVENTS = `SELECT position, transaction_id::text, event_id, stream_id, version, type, schema_version, data,
                       metadata - 'user_email' AS metadata, metadata->>'user_email' AS user_email,
                       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS created_at
                  FROM events ORDER BY events.transaction_id, events.position`;

async function storeContents(db: Queryable) {
  const events = (await db.query<Record<string, unknown>>(EVENTS)).rows.map(({ transaction_id: _xid, ...row }) => row);
  const streams = (await db.query('SELECT stream_id, version, created_at, updated_at FROM streams ORDER BY stream_id')).rows;
  const keys = (await db.query('SELECT * FROM idempotency_keys ORDER BY user_id, key')).rows;
  return { events, streams, keys };
}

async function exportTo(db: TestDatabase['db'], path: string): Promise<void> {
  let text = '';
  await exportLog(db, async (line) => { text += line; });
  await writeFile(path, text);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'todo-log-transfer-'));
  source = await testDatabase();
  // Two events of old transactions, the later-allocated position committed first: log order is by transaction
  // id as a number (99 before 100, both before every later one), not as text, and not by position.
  await source.db.query(
    `WITH head AS (INSERT INTO streams (stream_id, version) VALUES ('9a1f0000-0000-4000-8000-000000000002', 2))
     INSERT INTO events (transaction_id, event_id, stream_id, version, type, schema_version, data, metadata)
     VALUES ('100', gen_random_uuid(), '9a1f0000-0000-4000-8000-000000000002', 2, 'TaskCompleted', 1, '{}', $1),
            ('99', gen_random_uuid(), '9a1f0000-0000-4000-8000-000000000002', 1, 'TaskCreated', 1, '{"title":"old"}', $1)`,
    [JSON.stringify({ user_id: 'old', correlation_id: 'c-old', causation_id: null, traceparent: null, idempotency_key: null, request_id: null, user_email: null })],
  );
  // More events than one export batch, over many streams; then one with all its metadata and an idempotency record.
  await bulkCreateTasks(source.db, EXPORT_BATCH + 500, 7);
  const appended = await postgresEventStore(source.db, upcastEvent).append(randomUUID(), 'no_stream', [{
    event_id: randomUUID(), type: 'TaskCreated', schema_version: 2, data: { title: 'kept with its key' },
    metadata: {
      user_id: 'alice', correlation_id: randomUUID(), causation_id: randomUUID(), traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      idempotency_key: 'key-1', request_id: 'req-1', user_email: 'alice@example.com',
    },
  }], { user_id: 'alice', key: 'key-1', request_hash: 'hash-1', status: 201 });
  expect(appended.ok).toBe(true);
  // An event of a stream the bus has no type for.
  await source.db.query(
    `INSERT INTO streams (stream_id, version) VALUES ('9a1f0000-0000-4000-8000-000000000001', 1);
     INSERT INTO events (event_id, stream_id, version, type, schema_version, data, metadata)
     VALUES (gen_random_uuid(), '9a1f0000-0000-4000-8000-000000000001', 1, 'ReminderDelivered', 1, '{"task_id":"x"}',
             '{"user_id":"system","correlation_id":"c","causation_id":null,"traceparent":null,"idempotency_key":null,"request_id":null,"user_email":null}')`,
  );
  exported = join(dir, 'log.jsonl');
  await exportTo(source.db, exported);
});

afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('an export', () => {
  it('is a header, one CloudEvent per event in log order, the idempotency records and a trailer', async () => {
    const lines = (await readFile(exported, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const total = EXPORT_BATCH + 500 + 4;
    expect(lines[0]).toMatchObject({ record: 'header', format: EXPORT_FORMAT, version: EXPORT_FORMAT_VERSION, events: total });
    expect(lines.at(-1)).toMatchObject({ record: 'trailer', events: total, idempotency_records: 1 });
    const events = lines.slice(1, 1 + total);
    expect(events.every((line) => line['specversion'] === '1.0' && line['source'] === '/todo/write-side')).toBe(true);
    expect(events.at(-2)).toMatchObject({
      type: 'com.todo.task.created', eventtype: 'TaskCreated', actoremail: 'alice@example.com', requestid: 'req-1',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', data: { user_id: 'alice', idempotency_key: 'key-1' },
    });
    expect(events.at(-1)).toMatchObject({ type: 'com.todo.log.ReminderDelivered', eventtype: 'ReminderDelivered' });
    expect(events.slice(0, 2).map((event) => [event['transactionid'], event['sequence']])).toEqual([['99', 1], ['100', 2]]);
    expect(String(events[0]?.['time'])).toMatch(/\.\d{6}Z$/);
    expect(lines[0]).toMatchObject({ source: { head_position: events.at(-1)?.['position'] } });
    expect(lines[1 + total]).toMatchObject({ record: 'idempotency', user_id: 'alice', key: 'key-1', status: 201 });
  });
});

describe('an import', () => {
  it('into an empty database restores every event, stream head and idempotency record identically, and appends continue after it', async () => {
    const target = await testDatabase();
    const report = await importLog(target.db, exported);
    expect(report).toMatchObject({ events: EXPORT_BATCH + 504, resumed_after: 0, idempotency_records: 1 });
    expect(await storeContents(target.db)).toEqual(await storeContents(source.db));

    const store = postgresEventStore(target.db, upcastEvent);
    const head = await store.readLogHead();
    const more = await store.append(randomUUID(), 'no_stream', [{
      event_id: randomUUID(), type: 'TaskCreated', schema_version: 2, data: { title: 'after the import' },
      metadata: { user_id: 'bob', correlation_id: randomUUID(), causation_id: null, traceparent: null, idempotency_key: null, request_id: null },
    }]);
    expect(more.ok && more.value.position).toBeGreaterThan(head.position);
  });

  it('refuses a non-empty database that is not an interrupted import of the same file', async () => {
    const target = await testDatabase();
    await bulkCreateTasks(target.db, 3);
    await expect(importLog(target.db, exported)).rejects.toThrow(/the store is not empty \(3 events, 0 idempotency records\)/);
    expect((await target.db.query('SELECT count(*)::int AS n FROM events')).rows).toEqual([{ n: 3 }]);
  });

  it('finishes an interrupted import of the same file, continuing after the events it got', async () => {
    const target = await testDatabase();
    // Earlier batches committed, then the process died: what is left is the file's first events, with their stream heads.
    await importLog(target.db, exported);
    await target.db.query('DELETE FROM idempotency_keys');
    await target.db.query('DELETE FROM events WHERE position NOT IN (SELECT position FROM events ORDER BY transaction_id, position LIMIT 1000)');
    await target.db.query(`DELETE FROM streams;
      INSERT INTO streams (stream_id, version, created_at, updated_at)
      SELECT stream_id, max(version), min(created_at), max(created_at) FROM events GROUP BY stream_id`);
    const report = await importLog(target.db, exported);
    expect(report).toMatchObject({ resumed_after: 1000, events: EXPORT_BATCH + 504 - 1000 });
    expect(await storeContents(target.db)).toEqual(await storeContents(source.db));
  });

  const damaged: Array<[string, (lines: string[]) => string[], RegExp]> = [
    ['truncated (no trailer)', (lines) => lines.slice(0, 100), /ends at line 100 without its trailer: it is truncated \(99 of \d+ events\)/],
    ['cut in the middle of a line', (lines) => [...lines.slice(0, 50), (lines[50] ?? '').slice(0, 40)], /line 51 is not JSON: the file is damaged/],
    ['a line that is not an event', (lines) => lines.map((line, i) => (i === 7 ? JSON.stringify({ ...JSON.parse(line), sequence: 0 }) : line)), /line 8 is not a valid event at sequence/],
    ['an altered event', (lines) => lines.map((line, i) => (i === 9 ? line.replace('Bulk task', 'Bulk tusk') : line)), /checksum in the trailer does not match/],
    ['another format version', (lines) => lines.map((line, i) => (i === 0 ? JSON.stringify({ ...JSON.parse(line), version: 99 }) : line)), /export format version 99 is not supported: this Todo reads version 1/],
    ['not an export at all', () => ['{"hello":"world"}'], /not a Todo event-log export/],
  ];

  it.each(damaged)('refuses a file %s with a clear message, and writes nothing', async (_name, damage, message) => {
    const target = await testDatabase();
    const lines = (await readFile(exported, 'utf8')).trimEnd().split('\n');
    const path = join(dir, 'damaged.jsonl');
    await writeFile(path, `${damage(lines).join('\n')}\n`);
    await expect(importLog(target.db, path)).rejects.toThrow(message);
    expect((await target.db.query('SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM streams)::int AS streams')).rows)
      .toEqual([{ events: 0, streams: 0 }]);
  });
});
