import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import { testDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { listDeadLetters, skipDeadLetters } from './dead-letters.sql.ts';
import { createBatchDelivery, type DeliverBatch } from './deliver-batch.ts';
import type { DeliveryOutcome } from './deliver-event.ts';
import { registerProjection } from './projection-state.sql.ts';
import type { ReadModelProjection } from './projector.ts';
import { placeholderTable } from '../testing/placeholder-table.ts';

let t: TestDatabase;
const seen: Array<DeliveryOutcome | 'DUPLICATE'> = [];
/** The batches `apply` was handed, as stream@version lists. */
const applied: string[][] = [];

type Failure = 'poison' | 'transient' | 'transient-when-alone';

/** Records what it applied in a table of the test's own; fails as the event's data tells it to. */
const recorder: ReadModelProjection = {
  kind: 'read-model',
  name: 'batch-recorder',
  table: placeholderTable('batch_recorder'),
  onPoison: 'skip',
  async apply(tx, events) {
    applied.push(events.map((event) => `${event.stream_id}@${event.version}`));
    for (const event of events) {
      const data = event.data as { fail?: Failure };
      if (data.fail === 'poison') throw new Error('cannot apply this one');
      if (data.fail === 'transient') throw Object.assign(new Error('the database went away'), { code: '08006' });
      // Fails the batch as poison would, then the database goes away while the events are tried one at a time.
      if (data.fail === 'transient-when-alone') {
        throw events.length > 1 ? new Error('cannot apply this batch') : Object.assign(new Error('the database went away'), { code: '08006' });
      }
      await tx.query('INSERT INTO batch_recorded (stream_id, version) VALUES ($1, $2)', [event.stream_id, event.version]);
    }
  },
};

const eventOf = (data: object, version = 1, streamId: string = randomUUID()): StoredEvent => ({
  event_id: randomUUID(), stream_id: streamId, version, position: version, transaction_id: '100', type: 'TaskCreated',
  schema_version: 1, data, created_at: '2026-11-27T10:00:00.000Z',
  metadata: { user_id: 'alice', correlation_id: randomUUID(), causation_id: null, traceparent: null, idempotency_key: null, request_id: null },
});

let deliver: DeliverBatch;
beforeAll(async () => {
  t = await testDatabase();
  await t.db.query('CREATE TABLE batch_recorded (stream_id uuid, version int)');
  await registerProjection(t.db, recorder);
  deliver = createBatchDelivery({ db: t.db, projector: recorder, observer: { delivered: (_c, outcome) => seen.push(outcome) }, backoffMs: () => 1 });
});

const recorded = async (...streams: string[]) =>
  (await t.db.query<{ stream_id: string; version: number }>(
    'SELECT stream_id, version FROM batch_recorded WHERE stream_id = ANY($1) ORDER BY ctid', [streams],
  )).rows.map((r) => `${r.stream_id}@${r.version}`);

const inboxRows = async (...streams: string[]) =>
  (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM bus_inbox WHERE consumer = $1 AND stream_id = ANY($2)', [recorder.name, streams])).rows[0]?.n;

describe('a batch of bus deliveries to a projector', () => {
  it('is applied in one batch, in delivery order, and admitted to the inbox', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const batch = [eventOf({}, 1, a), eventOf({}, 1, b), eventOf({}, 2, a), eventOf({}, 2, b)];
    applied.length = 0;
    expect(await deliver(batch)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(applied).toEqual([[`${a}@1`, `${b}@1`, `${a}@2`, `${b}@2`]]);
    expect(await recorded(a, b)).toEqual([`${a}@1`, `${b}@1`, `${a}@2`, `${b}@2`]);
    expect(await inboxRows(a, b)).toBe(4);
  });

  it('changes nothing for a redelivery, nor for a copy of an event later in the same batch', async () => {
    const a = randomUUID();
    const first = eventOf({}, 1, a);
    expect(await deliver([first])).toEqual(['SUCCESS']);
    // The relay's republish keeps (task, sequence) with a new event id; Kafka may hold both copies in one batch.
    const second = eventOf({}, 2, a);
    const outcomes = await deliver([{ ...first, event_id: randomUUID() }, second, { ...second, event_id: randomUUID() }]);
    expect(outcomes).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(seen.slice(-3)).toEqual(['DUPLICATE', 'SUCCESS', 'DUPLICATE']);
    expect(await recorded(a)).toEqual([`${a}@1`, `${a}@2`]);
  });

  it('asks for a redelivery of all of them when the database fails, and leaves no trace of the attempt', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const outcomes = await deliver([eventOf({}, 1, a), eventOf({ fail: 'transient' }, 1, b)]);
    expect(outcomes).toEqual(['RETRY', 'RETRY']);
    expect(await inboxRows(a, b)).toBe(0);
    expect(await recorded(a, b)).toEqual([]);
  });

  it('dead-letters and drops a poison event alone; the others of the batch are applied, in order', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const poison = eventOf({ fail: 'poison' }, 1, b);
    const outcomes = await deliver([eventOf({}, 1, a), poison, eventOf({}, 2, a)]);
    expect(outcomes).toEqual(['SUCCESS', 'DROP', 'SUCCESS']);
    expect(await recorded(a, b)).toEqual([`${a}@1`, `${a}@2`]);
    const letters = (await listDeadLetters(t.db, recorder.name)).filter((letter) => letter.stream_id === b);
    expect(letters.map((letter) => [letter.event_id, letter.error])).toEqual([[poison.event_id, 'cannot apply this one']]);
  });

  it('applies nothing after an event that has to come again: those after it come again behind it', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const outcomes = await deliver([eventOf({}, 1, a), eventOf({ fail: 'transient-when-alone' }, 1, b), eventOf({}, 2, a), eventOf({}, 2, b)]);
    expect(outcomes).toEqual(['SUCCESS', 'RETRY', 'RETRY', 'RETRY']);
    expect(await recorded(a, b)).toEqual([`${a}@1`]);
    expect(await inboxRows(a, b)).toBe(1);
  });

  it('passes over an event whose dead letter an operator resolved as skipped, as every other run does', async () => {
    const a = randomUUID();
    const poison = eventOf({ fail: 'poison' }, 1, a);
    expect(await deliver([poison])).toEqual(['DROP']);
    const [letter] = (await listDeadLetters(t.db, recorder.name)).filter((l) => l.event_id === poison.event_id);
    await skipDeadLetters(t.db, [letter?.id ?? 0]);
    // Redelivered with the next event of its task: the skipped one is admitted, not applied.
    expect(await deliver([{ ...poison, event_id: randomUUID() }, eventOf({}, 2, a)])).toEqual(['SUCCESS', 'SUCCESS']);
    expect(await recorded(a)).toEqual([`${a}@2`]);
    expect(await inboxRows(a)).toBe(2);
  });
});
