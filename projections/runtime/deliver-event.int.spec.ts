import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import { testDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { listDeadLetters } from './dead-letters.sql.ts';
import { createDelivery, type DeliveryOutcome } from './deliver-event.ts';
import { registerProjection } from './projection-state.sql.ts';
import type { Projector } from './projector.ts';

let t: TestDatabase;
const seen: Array<DeliveryOutcome | 'DUPLICATE'> = [];

/** Records what it applied in a table of the test's own; fails as the event's data tells it to. */
const recorder: Projector = {
  name: 'recorder',
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
});
