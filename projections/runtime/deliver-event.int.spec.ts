import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import { testDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { upcastEvent } from '../../contracts/events/upcast.ts';
import { postgresEventStore } from '../../write-side/event-store/event-store.ts';
import { listDeadLetters, skipDeadLetters } from './dead-letters.sql.ts';
import { retryDeadLetters } from './retry-dead-letters.ts';
import { createDelivery, type DeliveryOutcome } from './deliver-event.ts';
import { registerProjection } from './projection-state.sql.ts';
import type { ReadModelProjection } from './projector.ts';
import { placeholderTable } from '../testing/placeholder-table.ts';
import { createDb } from '../../gateways/postgres/db.ts';

let t: TestDatabase;
const seen: Array<DeliveryOutcome | 'DUPLICATE'> = [];

/** Records what it applied in a table of the test's own; fails as the event's data tells it to. */
const recorder: ReadModelProjection = {
  kind: 'read-model',
  name: 'recorder',
  table: placeholderTable('recorder'),
  onPoison: 'skip',
  async apply(tx, events) {
    for (const event of events) {
      const data = event.data as { fail?: 'poison' | 'transient' };
      if (data.fail === 'poison') throw new Error('cannot apply this one');
      if (data.fail === 'transient') throw Object.assign(new Error('the database went away'), { code: '08006' });
      await tx.query('INSERT INTO recorded (stream_id, version) VALUES ($1, $2)', [event.stream_id, event.version]);
    }
  },
};

const eventOf = (data: object, version = 1, streamId: string = randomUUID()): StoredEvent => ({
  event_id: randomUUID(), stream_id: streamId, version, position: version, transaction_id: '100', type: 'TaskCreated',
  schema_version: 1, data, created_at: '2026-11-27T10:00:00.000Z',
  metadata: { user_id: 'alice', correlation_id: randomUUID(), causation_id: null, traceparent: null, idempotency_key: null, request_id: null },
});

let deliver: (event: StoredEvent) => Promise<DeliveryOutcome>;
beforeAll(async () => {
  t = await testDatabase();
  await t.db.query('CREATE TABLE recorded (stream_id uuid, version int)');
  await registerProjection(t.db, recorder);
  deliver = createDelivery({ db: t.db, projector: recorder, observer: { delivered: (_c, outcome) => seen.push(outcome) }, backoffMs: () => 1 });
});

const recorded = async (streamId: string) =>
  (await t.db.query<{ version: number }>('SELECT version FROM recorded WHERE stream_id = $1 ORDER BY version', [streamId])).rows.map((r) => r.version);

describe('a bus delivery to a projector', () => {
  it('is applied once, however often the bus delivers it', async () => {
    const event = eventOf({});
    expect(await deliver(event)).toBe('SUCCESS');
    expect(await deliver(event)).toBe('SUCCESS');
    expect(await deliver({ ...event, event_id: randomUUID() })).toBe('SUCCESS'); // the relay's republish keeps (task, sequence)
    expect(await recorded(event.stream_id)).toEqual([1]);
    expect(seen.slice(-3)).toEqual(['SUCCESS', 'DUPLICATE', 'DUPLICATE']);
  });

  it('asks for a redelivery when the database fails, and leaves no trace of the attempt', async () => {
    const event = eventOf({ fail: 'transient' });
    expect(await deliver(event)).toBe('RETRY');
    const inbox = await t.db.query('SELECT 1 FROM bus_inbox WHERE stream_id = $1', [event.stream_id]);
    expect(inbox.rows).toHaveLength(0);
    expect(await deliver({ ...event, data: {} })).toBe('SUCCESS');
    expect(await recorded(event.stream_id)).toEqual([1]);
  });

  it('dead-letters a poison event and drops it, visibly', async () => {
    const event = eventOf({ fail: 'poison' }, 2);
    expect(await deliver(event)).toBe('DROP');
    expect(seen.at(-1)).toBe('DROP');
    const letters = await listDeadLetters(t.db, 'recorder');
    expect(letters.map((l) => [l.event_id, l.error])).toEqual([[event.event_id, 'cannot apply this one']]);
    expect(await recorded(event.stream_id)).toEqual([]);
  });

  it('passes over an event whose dead letter an operator resolved as skipped, as every other run does', async () => {
    const event = eventOf({ fail: 'poison' }, 1);
    expect(await deliver(event)).toBe('DROP');
    const [letter] = (await listDeadLetters(t.db, 'recorder')).filter((l) => l.event_id === event.event_id);
    await skipDeadLetters(t.db, [letter?.id ?? 0]);
    const later = eventOf({}, 2, event.stream_id);
    // Redelivered (the bus does), and the next event of the stream: the skipped one is admitted, not applied.
    expect(await deliver({ ...event, event_id: randomUUID() })).toBe('SUCCESS');
    expect(await deliver(later)).toBe('SUCCESS');
    expect(await recorded(event.stream_id)).toEqual([2]);
    expect((await listDeadLetters(t.db, 'recorder')).filter((l) => l.stream_id === event.stream_id)).toEqual([]);
  });
});

describe('retrying a dead letter of a bus-fed projector', () => {
  it('replays the stream up to what its inbox admitted, the dead-lettered event included, and admits it', async () => {
    let broken = true;
    const flaky: ReadModelProjection = {
      kind: 'read-model',
      name: 'flaky',
      table: placeholderTable('flaky'),
      onPoison: 'skip',
      async apply(tx, events) {
        for (const event of events) {
          if (broken && event.version === 2) throw new Error('version 2 cannot be applied yet');
          await tx.query('INSERT INTO recorded (stream_id, version) VALUES ($1, $2)', [event.stream_id, event.version]);
        }
      },
      async forgetStream(tx, _table, streamId) {
        await tx.query('DELETE FROM recorded WHERE stream_id = $1', [streamId]);
      },
    };
    await registerProjection(t.db, flaky);
    const deliverFlaky = createDelivery({ db: t.db, projector: flaky, observer: { delivered: () => undefined }, backoffMs: () => 1 });
    const store = postgresEventStore(t.db, upcastEvent);
    const stream = randomUUID();
    const metadata = { user_id: 'alice', correlation_id: randomUUID(), causation_id: null, traceparent: null, idempotency_key: null, request_id: null };
    for (const version of [1, 2, 3, 4]) {
      const appended = await store.append(stream, version - 1 || 'no_stream', [{ event_id: randomUUID(), type: 'TestStep', schema_version: 1, data: { version }, metadata }]);
      expect(appended.ok).toBe(true);
    }
    const events = await store.readStream(stream);
    // The bus has delivered versions 1 to 3 so far; 2 was dead-lettered and dropped.
    expect(await Promise.all(events.slice(0, 3).map((event) => deliverFlaky(event)))).toEqual(['SUCCESS', 'DROP', 'SUCCESS']);
    expect(await recorded(stream)).toEqual([1, 3]);

    broken = false;
    const outcomes = await retryDeadLetters(t.db, store, flaky, { feed: 'bus' });
    expect(outcomes.map((o) => [o.ok, o.dead_letter.version])).toEqual([[true, 2]]);
    // Version 4 is not the retry's: the bus has yet to deliver it.
    expect(await recorded(stream)).toEqual([1, 2, 3]);
    expect(await listDeadLetters(t.db, 'flaky')).toEqual([]);
    const [, second, , fourth] = events;
    if (!second || !fourth) throw new Error('stream too short');
    expect(await deliverFlaky(second)).toBe('SUCCESS');
    expect(await deliverFlaky(fourth)).toBe('SUCCESS');
    expect(await recorded(stream)).toEqual([1, 2, 3, 4]);
  });
});

describe('many deliveries to one projector at once', () => {
  it('hold one pooled connection between them while they wait, so one that needs a second connection gets it', async () => {
    // Two connections; each delivery's apply also reads through the pool, as the recurring reactor's command
    // does. Had every delivery taken a connection and then waited for the projector's lock, the one holding
    // the lock would wait for a free connection for ever (here: the pool's 2 s, then RETRY).
    const small = createDb(t.url, { max: 2, connectTimeoutMs: 2_000 });
    try {
      const reading: ReadModelProjection = {
        ...recorder,
        async apply(tx, events, table) {
          await small.query('SELECT 1');
          await recorder.apply(tx, events, table);
        },
      };
      const deliverReading = createDelivery({ db: small, projector: reading, observer: { delivered: () => undefined }, backoffMs: () => 1 });
      const stream = randomUUID();
      const events = Array.from({ length: 6 }, (_, i) => eventOf({}, i + 1, stream));
      expect(await Promise.all(events.map((event) => deliverReading(event)))).toEqual(events.map(() => 'SUCCESS'));
      expect(await recorded(stream)).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      await small.close();
    }
  });
});
