import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { upcastEvent } from '../../contracts/events/upcast.ts';
import { isPgError, PG_UNIQUE_VIOLATION } from '../../contracts/ports/sql.ts';
import { testDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { coalescingCreates } from './coalescing-creates.ts';
import { postgresEventStore, type EventStore } from './event-store.ts';
import type { NewEvent } from './types.ts';

let t: TestDatabase;
let plain: EventStore;
let store: EventStore;

beforeAll(async () => {
  t = await testDatabase();
  plain = postgresEventStore(t.db, upcastEvent);
  store = coalescingCreates(t.db, plain, { maxInFlight: 1 });
});

const metadata = { user_id: 'u1', correlation_id: 'c1', causation_id: null, traceparent: null, idempotency_key: null, request_id: null };
const created = (eventId: string = randomUUID()): NewEvent => ({ event_id: eventId, type: 'TaskCreated', schema_version: 1, data: { n: 1 }, metadata });

async function transactionOf(streamId: string): Promise<string> {
  const result = await t.db.query<{ transaction_id: string }>('SELECT transaction_id::text AS transaction_id FROM events WHERE stream_id = $1', [streamId]);
  return result.rows[0]?.transaction_id ?? 'none';
}

describe('creates that queue behind one in flight (coalescing-creates.ts)', () => {
  it('appends those that waited in one statement: one transaction, each stream at version 1 with its own position', async () => {
    const streams = Array.from({ length: 10 }, () => randomUUID());
    const results = await Promise.all(streams.map((stream) => store.append(stream, 'no_stream', [created()])));
    expect(results.every((r) => r.ok && r.value.version === 1)).toBe(true);
    const positions = results.flatMap((r) => (r.ok ? [r.value.position] : []));
    expect(new Set(positions).size).toBe(10);
    for (const [i, stream] of streams.entries()) {
      const events = await plain.readStream(stream);
      expect(events.map((e) => [e.version, e.position])).toEqual([[1, positions[i]]]);
    }
    // The first went out alone; the nine that queued behind it share one commit.
    const transactions = await Promise.all(streams.map(transactionOf));
    expect(new Set(transactions.slice(1)).size).toBe(1);
    expect(transactions[0]).not.toBe(transactions[1]);
  });

  it('answers a create of a stream that exists with its current version, and appends the others of its group', async () => {
    const existing = randomUUID();
    await plain.append(existing, 'no_stream', [created()]);
    await plain.append(existing, 1, [{ ...created(), type: 'TaskCompleted' }]);
    const others = [randomUUID(), randomUUID(), randomUUID()];
    const [, conflict, ...rest] = await Promise.all([randomUUID(), existing, ...others].map((stream) => store.append(stream, 'no_stream', [created()])));
    expect(conflict).toEqual({ ok: false, error: { code: 'version_conflict', current_version: 2 } });
    expect(rest.every((r) => r.ok)).toBe(true);
    expect(await plain.readStream(existing)).toHaveLength(2);
  });

  it('lets exactly one of several creates of one stream win, though they queued together', async () => {
    const stream = randomUUID();
    const results = await Promise.all(Array.from({ length: 6 }, () => store.append(stream, 'no_stream', [created()])));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok)) expect(r).toEqual({ ok: false, error: { code: 'version_conflict', current_version: 1 } });
    expect(await plain.readStream(stream)).toHaveLength(1);
  });

  it('answers each create as its own append would when the shared statement fails, and loses none of the others', async () => {
    const taken = randomUUID();
    await plain.append(randomUUID(), 'no_stream', [created(taken)]);
    const streams = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const results = await Promise.allSettled(streams.map((stream, i) => store.append(stream, 'no_stream', [created(i === 2 ? taken : randomUUID())])));
    const failed = results[2];
    expect(failed?.status === 'rejected' && isPgError(failed.reason, PG_UNIQUE_VIOLATION)).toBe(true);
    for (const i of [0, 1, 3]) {
      expect(results[i]?.status).toBe('fulfilled');
      expect(await plain.readStream(streams[i] ?? '')).toHaveLength(1);
    }
    expect(await plain.readStream(streams[2] ?? '')).toHaveLength(0);
  });

  it('remembers the idempotency key of each create in a group with the position it got', async () => {
    const streams = [randomUUID(), randomUUID(), randomUUID()];
    const results = await Promise.all(streams.map((stream) =>
      store.append(stream, 'no_stream', [created()], { user_id: 'u1', key: `k-${stream}`, request_hash: 'h', status: 201 })));
    for (const [i, stream] of streams.entries()) {
      const result = results[i];
      expect(result?.ok).toBe(true);
      expect(await plain.findRememberedResult('u1', `k-${stream}`)).toEqual({
        request_hash: 'h', status: 201, stream_id: stream, version: 1, position: result?.ok ? result.value.position : -1,
      });
    }
  });

  it('passes every other append straight to the store', async () => {
    const stream = randomUUID();
    expect((await store.append(stream, 'no_stream', [created(), created()])).ok).toBe(true);
    const next = await store.append(stream, 2, [{ ...created(), type: 'TaskCompleted' }]);
    expect(next.ok && next.value.version).toBe(3);
    expect(await store.append(stream, 'no_stream', [created()])).toEqual({ ok: false, error: { code: 'version_conflict', current_version: 3 } });
  });
});
